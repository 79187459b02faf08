/** Saves text as a file through a temporary blob link (no server round trip). */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  saveBlob(filename, new Blob([text], { type }));
}

/** Saves bytes (an archive) the same way. */
export function downloadBytes(filename: string, bytes: Uint8Array<ArrayBuffer>, type: string): void {
  saveBlob(filename, new Blob([bytes], { type }));
}

function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

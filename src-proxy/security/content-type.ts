/**
 * POST bodies must be JSON: an exact media-type essence of application/json. `text/plain`,
 * forms and `text/plain; application/json` are what a web page can send without a preflight.
 */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  // What nearly every client sends, decided without splitting or lower-casing a copy.
  if (value === 'application/json') return true;
  const essence = value.split(';', 1)[0]!.trim().toLowerCase();
  return essence === 'application/json';
}

/** Whether the request carries a body (and so needs a JSON content type). */
export function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}

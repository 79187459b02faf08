/**
 * Reads a text/event-stream body with fetch + ReadableStream instead of EventSource, because
 * EventSource cannot send headers and the admin token must not travel in the URL (it would end
 * up in logs and history). Calls onData with each event's joined `data:` lines; comments
 * (": ping") and other fields are ignored.
 */
export async function readServerSentEvents(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = parseEventData(block);
      if (data !== null) onData(data);
      boundary = buffer.indexOf('\n\n');
    }
  }
}

/** The data of one SSE block, or null when the block carries none (comments, keep-alives). */
export function parseEventData(block: string): string | null {
  const lines = block.split('\n').filter((line) => line.startsWith('data:'));
  if (lines.length === 0) return null;
  return lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}

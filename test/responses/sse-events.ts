import { readStream } from '../fixtures/read-stream.ts';

/** Reads a Responses SSE body as the list of events, checking each has matching `event:` and `data.type`. */
export interface ParsedEvent {
  event: string;
  data: Record<string, any>;
}

export function parseSseEvents(text: string): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  for (const block of text.split(/\n\n/)) {
    const lines = block.split('\n').filter((line) => line !== '' && !line.startsWith(':'));
    if (lines.length === 0) continue;
    const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? '';
    const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
    events.push({ event, data: JSON.parse(data) as Record<string, any> });
  }
  return events;
}

/** `cut`: the answer ended without HTTP's clean end (what follows an in-band failure). */
export async function postResponses(baseUrl: string, token: string, body: Record<string, unknown>): Promise<{ status: number; headers: Headers; text: string; cut: boolean }> {
  const response = await fetch(`${baseUrl}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { text, cut } = await readStream(response);
  return { status: response.status, headers: response.headers, text, cut };
}

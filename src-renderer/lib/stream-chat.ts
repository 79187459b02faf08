import { ControlError } from '../api';
import { readServerSentEvents } from '../api/sse-reader';

export interface StreamChatOptions {
  origin: string;
  clientToken: string;
  model: string;
  prompt: string;
  signal?: AbortSignal;
  onDelta: (text: string) => void;
  fetch?: typeof fetch;
}

/** Sends one prompt through the gateway's OpenAI route with stream: true and reports text deltas. */
export async function streamChat(options: StreamChatOptions): Promise<void> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const response = await doFetch(`${options.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.clientToken}` },
    body: JSON.stringify({ model: options.model, stream: true, messages: [{ role: 'user', content: options.prompt }] }),
    signal: options.signal,
  });
  if (!response.ok || !response.body) throw await gatewayError(response);
  await readServerSentEvents(response.body, (data) => {
    if (data === '[DONE]') return;
    const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string | null } }>; error?: { message?: string; code?: string } };
    if (chunk.error) throw new ControlError(chunk.error.code ?? 'upstream_error', chunk.error.message ?? 'The stream ended with an error.');
    const text = chunk.choices?.[0]?.delta?.content;
    if (text) options.onDelta(text);
  });
}

/** The gateway's OpenAI-shaped error body as a ControlError (code + message). */
export async function gatewayError(response: Response): Promise<ControlError> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; code?: string | null; type?: string } } | null;
  const code = body?.error?.code ?? body?.error?.type ?? `http_${response.status}`;
  return new ControlError(code, body?.error?.message ?? `The gateway answered ${response.status}.`);
}

import { ControlError } from './control-error';
import { readServerSentEvents } from './sse-reader';
import type { ControlClient, ControlEvent, ControlOperationName, ControlRequest, ControlResponse } from './types';

export const CONTROL_PREFIX = '/_switchboard';
const ADMIN_HEADER = 'x-switchboard-admin';

type Answer = { ok: true; result?: unknown } | { ok: false; error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } };

export interface HttpClientOptions {
  adminToken: string | null;
  fetch?: typeof fetch;
  /** Delay before reconnecting the event stream after it drops. */
  reconnectMs?: number;
}

/** The control client of the headless dashboard: POST /_switchboard/api/<op> + an SSE event stream. */
export function createHttpClient(options: HttpClientOptions): ControlClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers = { [ADMIN_HEADER]: options.adminToken ?? '' };
  const listeners = new Set<(event: ControlEvent) => void>();
  let stream: AbortController | null = null;

  async function invoke<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>): Promise<ControlResponse<K>> {
    let response: Response;
    try {
      response = await doFetch(`${CONTROL_PREFIX}/api/${operation}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(request ?? {}),
      });
    } catch (error) {
      throw new ControlError('upstream_unreachable', `Switchboard is not reachable (${error instanceof Error ? error.message : String(error)}). Is \`switchboard serve\` still running?`);
    }
    const answer = (await response.json().catch(() => null)) as Answer | null;
    if (!answer) throw new ControlError('internal_error', `Switchboard answered ${response.status} without a JSON body.`);
    if (!answer.ok) throw new ControlError(answer.error.code, answer.error.message, answer.error.issues ?? []);
    return answer.result as ControlResponse<K>;
  }

  function emit(event: ControlEvent) {
    for (const listener of listeners) listener(event);
  }

  async function runStream(controller: AbortController) {
    const reconnectMs = options.reconnectMs ?? 2000;
    while (!controller.signal.aborted) {
      try {
        const response = await doFetch(`${CONTROL_PREFIX}/events`, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
        // A 401 will not fix itself by retrying; the pages show the error from their next call.
        if (response.status === 401) return;
        if (response.ok && response.body) await readServerSentEvents(response.body, (data) => emit(JSON.parse(data) as ControlEvent));
      } catch {
        // Dropped connection (server restarted, laptop slept): reconnect below unless aborted.
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, reconnectMs));
    }
  }

  function onEvent(listener: (event: ControlEvent) => void) {
    listeners.add(listener);
    if (!stream) {
      stream = new AbortController();
      void runStream(stream);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && stream) {
        stream.abort();
        stream = null;
      }
    };
  }

  return { invoke, onEvent, capabilities: { launchAtLogin: false } };
}

import { ControlError } from './control-error';
import { readServerSentEvents } from './sse-reader';
import type { ClientEvent, ControlClient, ControlOperationName, ControlRequest, ControlResponse, SignedIn } from './types';

export const CONTROL_PREFIX = '/_switchboard';
const ADMIN_HEADER = 'x-switchboard-admin';

type Answer = { ok: true; result?: unknown } | { ok: false; error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } };

export interface HttpClientOptions {
  adminToken: string | null;
  fetch?: typeof fetch;
  /** Delay before reconnecting the event stream after it drops. */
  reconnectMs?: number;
  /** This page's origin: `serve` answers the gateway's client routes there too. */
  pageOrigin?: string;
  /** Sign-out: forget the token wherever the page keeps it (api.ts: sessionStorage) and reload. */
  signOut?: () => void;
}

/**
 * The control client of the headless dashboard: POST /_switchboard/api/<op> + an SSE event
 * stream. When the stream drops (serve restarted, laptop slept) it says so, retries, and says so
 * again once back, so the page re-reads everything instead of showing the last state it heard.
 */
export function createHttpClient(options: HttpClientOptions): ControlClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers = { [ADMIN_HEADER]: options.adminToken ?? '' };
  const listeners = new Set<(event: ClientEvent) => void>();
  let stream: AbortController | null = null;

  async function invoke<K extends ControlOperationName>(operation: K, request?: ControlRequest<K>): Promise<ControlResponse<K>> {
    return (await call(`${CONTROL_PREFIX}/api/${operation}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(request ?? {}),
    })) as ControlResponse<K>;
  }

  /** One control call: the answer's result, or its error as a ControlError. */
  async function call(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(path, init);
    } catch (error) {
      throw new ControlError('upstream_unreachable', `Switchboard is not reachable (${error instanceof Error ? error.message : String(error)}). Is \`switchboard serve\` still running?`);
    }
    const answer = (await response.json().catch(() => null)) as Answer | null;
    if (!answer) throw new ControlError('internal_error', `Switchboard answered ${response.status} without a JSON body.`);
    if (!answer.ok) throw new ControlError(answer.error.code, answer.error.message, answer.error.issues ?? []);
    return answer.result;
  }

  function emit(event: ClientEvent) {
    for (const listener of listeners) listener(event);
  }

  async function runStream(controller: AbortController) {
    const reconnectMs = options.reconnectMs ?? 2000;
    let connected = true;
    const setConnected = (next: boolean) => {
      if (next === connected) return;
      connected = next;
      emit({ type: 'connection', connected });
    };
    while (!controller.signal.aborted) {
      try {
        const response = await doFetch(`${CONTROL_PREFIX}/events`, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
        // Reachable but refused: the token changed. Retrying will not fix it; the pages re-read,
        // meet invalid_admin_token and show how to get back in.
        if (response.status === 401) {
          setConnected(true);
          return;
        }
        if (response.ok && response.body) {
          setConnected(true);
          await readServerSentEvents(response.body, (data) => emit(JSON.parse(data) as ClientEvent));
        }
      } catch {
        // Dropped connection (server restarted, laptop slept): reconnect below unless aborted.
      }
      if (controller.signal.aborted) return;
      setConnected(false);
      await new Promise((resolve) => setTimeout(resolve, reconnectMs));
    }
  }

  function onEvent(listener: (event: ClientEvent) => void) {
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

  const pageOrigin = options.pageOrigin ?? globalThis.location?.origin ?? null;
  return {
    invoke,
    onEvent,
    host: 'serve',
    desktop: null,
    gatewayOrigin: () => pageOrigin,
    gatewayFetch: (input, init) => doFetch(input, init),
    session: {
      whoAmI: async () => (await call(`${CONTROL_PREFIX}/session`, { headers })) as SignedIn,
      signOut: () => options.signOut?.(),
    },
  };
}

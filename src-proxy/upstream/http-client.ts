/**
 * Upstream HTTP: undici's request API over long-lived keep-alive agents (never the global
 * `fetch`, which costs ~5× the CPU per request), four separate time budgets, no redirects.
 *
 * Budgets: connect (agent option), first byte (headers + first body chunk), idle between body
 * chunks (undici bodyTimeout) and total (a timer that aborts the request).
 */
import { Agent, request } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors/codes.ts';
import { mapTransportError } from './errors.ts';

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalMs: number;
}

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Aborted when the client goes away or the proxy stops. */
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body chunks; errors arrive as GatewayError (idle / total timeout, disconnect). */
  body: AsyncIterable<Buffer>;
  /** Reads the whole body as text, up to `limit` bytes. */
  text(limit?: number): Promise<string>;
  /** Stops reading and releases the connection. */
  dispose(): void;
}

export interface UpstreamHttp {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function createUpstreamHttp(): UpstreamHttp {
  const agents = new Map<number, Agent>();

  function agentFor(connectMs: number): Agent {
    let agent = agents.get(connectMs);
    if (!agent) {
      // keepAliveTimeout stays below common server idle timeouts so a reused socket does not
      // race the server's close; undici also honours the server's Keep-Alive hint.
      agent = new Agent({ connect: { timeout: connectMs }, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000, connections: 128 });
      agents.set(connectMs, agent);
    }
    return agent;
  }

  async function send(req: UpstreamRequest): Promise<UpstreamResponse> {
    // One controller per call, aborted by the client's signal or the total budget (cheaper than
    // AbortSignal.any on the hot path, and nothing stays attached after the call).
    const controller = new AbortController();
    const signal = controller.signal;
    const totalTimer = setTimeout(() => controller.abort(new GatewayError('upstream_total_timeout')), req.timeouts.totalMs);
    totalTimer.unref();
    const onClientAbort = () => controller.abort(req.signal.reason);
    if (req.signal.aborted) onClientAbort();
    else req.signal.addEventListener('abort', onClientAbort, { once: true });
    const release = () => {
      clearTimeout(totalTimer);
      req.signal.removeEventListener('abort', onClientAbort);
    };
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        dispatcher: agentFor(req.timeouts.connectMs),
        headersTimeout: req.timeouts.firstByteMs,
        bodyTimeout: req.timeouts.idleMs,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      const body = res.body;
      const chunks = (async function* () {
        try {
          for await (const chunk of body) yield chunk as Buffer;
        } catch (error) {
          throw mapTransportError(error, signal, 'body');
        } finally {
          release();
        }
      })();
      return {
        status: res.statusCode,
        headers: res.headers as IncomingHttpHeaders,
        body: chunks,
        async text(limit = 1024 * 1024) {
          const parts: Buffer[] = [];
          let size = 0;
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > limit) break;
            parts.push(chunk);
          }
          return Buffer.concat(parts).toString('utf8');
        },
        dispose() {
          release();
          body.destroy();
        },
      };
    } catch (error) {
      release();
      throw mapTransportError(error, signal, 'connect');
    }
  }

  return {
    send,
    async close() {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}

/**
 * Waits for the first body chunk within the first-byte budget. Until it arrives nothing reached
 * the client, so the router may still try another key or target.
 */
export async function readFirstChunk(
  body: AsyncIterable<Buffer>,
  timeoutMs: number,
): Promise<{ first: Buffer | null; rest: AsyncIterable<Buffer> }> {
  const iterator = body[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayError('upstream_timeout', 'No data from the provider within the first-byte time limit')), timeoutMs);
  });
  let result: IteratorResult<Buffer>;
  try {
    result = await Promise.race([iterator.next(), timeout]);
  } catch (error) {
    void iterator.return?.();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const first = result.done ? null : result.value;
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => iterator,
  };
  return { first, rest };
}

/** Body chunks with an already-read first chunk put back in front. */
export async function* prepend(first: Buffer | null, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (first) yield first;
  yield* rest;
}

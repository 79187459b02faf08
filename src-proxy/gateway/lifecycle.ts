/**
 * The proxy's start/stop state machine: stopped → starting → running → stopping → stopped, or
 * error when a start fails. Starting listens (once; headless keeps the listener while stopped so
 * the dashboard stays reachable) and opens the gateway routes; stopping closes them, lets
 * in-flight requests finish until the drain deadline, then ends the rest with an in-band
 * "proxy stopping" error and aborts their upstream calls. Pure bookkeeping around an injected
 * server factory, so it is the same for the CLI, the desktop app and the tests.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ProxyState } from '../control/contract.ts';
import { GatewayError, toGatewayError } from '../errors/codes.ts';
import type { InFlightRequests } from '../http/in-flight.ts';

export interface LifecycleDeps {
  host: string;
  /** The port to listen on at the next start (0 = a free one). */
  port(): number;
  /** Headless: keep the listener (and the dashboard) while stopped; gateway routes answer 503. */
  keepListenerWhenStopped: boolean;
  /** A fresh HTTP server for one listen; `listeningPort` is known once it listens. */
  createServer(listeningPort: () => number): FastifyInstance;
  inflight: InFlightRequests;
  drainTimeoutMs(): number;
  logger: Logger;
  /** After every state change (the status event). */
  onChange(): void;
  /** Before each listen (settings are read again). */
  beforeListen(): void;
  /** Once running (model discovery starts). */
  onStarted(): void;
  /** Once stopped (history is flushed). */
  onStopped(): void;
}

export interface Lifecycle {
  readonly state: ProxyState;
  readonly error: { code: string; message: string } | null;
  /** The port listened on, null without a listener. */
  readonly port: number | null;
  readonly startedAt: number | null;
  /** Whether gateway routes are open (the security gate answers 503 otherwise). */
  readonly accepting: boolean;
  /** Rejects with GatewayError('port_in_use') naming the port. */
  start(): Promise<void>;
  stop(drainTimeoutMs?: number): Promise<void>;
  /** Stops, then closes the listener even when it is kept while stopped. */
  close(drainTimeoutMs?: number): Promise<void>;
}

/** After the deadline, in-band errors get a moment to reach the clients before connections are cut. */
const FLUSH_MS = 50;

export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  let app: FastifyInstance | null = null;
  let port: number | null = null;
  let accepting = false;
  let state: ProxyState = 'stopped';
  let error: Lifecycle['error'] = null;
  let startedAt: number | null = null;
  let keepListener = deps.keepListenerWhenStopped;

  function enter(next: ProxyState, failure: Lifecycle['error'] = null): void {
    state = next;
    error = failure;
    deps.onChange();
  }

  async function listen(): Promise<void> {
    deps.beforeListen();
    const wanted = deps.port();
    const server = deps.createServer(() => port ?? wanted);
    try {
      await server.listen({ host: deps.host, port: wanted });
    } catch (thrown) {
      // The listen failure is what the user must see; a failing close of the half-made server is logged.
      await server.close().catch((closeError: unknown) => deps.logger.warn({ err: closeError }, 'closing a server that could not listen failed'));
      const code = (thrown as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new GatewayError('port_in_use', `Port ${wanted} on ${deps.host} is already in use. Choose another port with --port or in Settings`);
      }
      if (code === 'EACCES') throw new GatewayError('port_in_use', `Port ${wanted} on ${deps.host} cannot be used by this user; choose a port above 1024`);
      throw thrown;
    }
    const address = server.server.address();
    port = typeof address === 'object' && address ? address.port : wanted;
    app = server;
  }

  /** Ends what is still running at the deadline: in-band error for streams, 503 for the rest. */
  async function drain(deadlineMs: number): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (deps.inflight.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
    const stopping = new GatewayError('proxy_stopping');
    for (const entry of [...deps.inflight]) entry.terminate(stopping);
    deps.inflight.clear();
  }

  async function stop(drainTimeoutMs = deps.drainTimeoutMs()): Promise<void> {
    if (state === 'stopped' || state === 'stopping') return;
    enter('stopping');
    accepting = false;
    if (keepListener) {
      await drain(drainTimeoutMs);
    } else if (app) {
      const closing = app.close();
      await drain(drainTimeoutMs);
      await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
      app.server.closeAllConnections();
      await closing;
      app = null;
      port = null;
    }
    startedAt = null;
    enter('stopped');
    deps.onStopped();
  }

  return {
    get state() {
      return state;
    },
    get error() {
      return error;
    },
    get port() {
      return port;
    },
    get startedAt() {
      return startedAt;
    },
    get accepting() {
      return accepting;
    },
    async start() {
      if (state === 'running') return;
      enter('starting');
      try {
        if (!app) await listen();
        accepting = true;
        startedAt = Date.now();
        enter('running');
        deps.onStarted();
      } catch (thrown) {
        const failure = toGatewayError(thrown);
        if (failure.code === 'internal_error') deps.logger.error({ err: thrown }, 'the proxy could not start');
        enter('error', { code: failure.code, message: failure.message });
        throw failure;
      }
    },
    stop,
    async close(drainTimeoutMs) {
      if (!app) return;
      keepListener = false;
      if (state !== 'stopped') await stop(drainTimeoutMs);
      if (app) {
        await app.close();
        app = null;
        port = null;
      }
    },
  };
}

/**
 * HTTP/2 to providers that allow it (providers[].http2): the dispatcher offers h2 and http/1.1 by
 * ALPN on each TLS connection and the provider's server chooses. Plain-http origins stay on
 * HTTP/1.1 (undici speaks h2 without TLS only through its separate h2c client, which an unknown
 * server may not understand).
 *
 * undici runs one request at a time per connection unless told otherwise (`pipelining`, default 1)
 * and that one number counts HTTP/1.1 pipelining and HTTP/2 streams alike. So the connection's
 * client is told after the handshake: HTTP/2 runs up to H2_STREAMS_PER_CONNECTION streams on it,
 * HTTP/1.1 stays at one request (never pipelined). A provider that answers h2 thus gets one
 * multiplexed connection; one that answers http/1.1 gets a pool of plain connections as before.
 *
 * undici also holds back a non-idempotent request (every POST) while another runs on the same
 * connection — a rule for HTTP/1.1 pipelining, where a broken response breaks the ones queued
 * behind it. An HTTP/2 stream fails alone, so calls over these dispatchers are sent as idempotent
 * (http-client.ts); undici never retries a request by itself, idempotent or not.
 */
import type { buildConnector, Dispatcher } from 'undici';
import type { TLSSocket } from 'node:tls';
import type { UpstreamProtocol } from '../domain/history.ts';
import { Client, kPipelining, Pool } from './undici-lean.ts';

/** The protocol a connection's TLS handshake chose, kept on the connection's client. */
export interface ConnectionProtocol {
  protocol: UpstreamProtocol;
}

/**
 * A dispatch handler that wants to know which protocol answered it (history's attempts): the
 * client that carries the call gives it its connection's state, read once the headers are in.
 */
export interface ProtocolAware {
  connection: ConnectionProtocol | null;
}

/** Streams per HTTP/2 connection (the RFC's recommended floor for SETTINGS_MAX_CONCURRENT_STREAMS); past it the pool opens another. */
const H2_STREAMS_PER_CONNECTION = 100;

type Connector = buildConnector.connector;
type ClientOptions = NonNullable<ConstructorParameters<typeof Client>[1]>;

/**
 * Options for an Agent or ProxyAgent whose connections to https origins may speak HTTP/2: ALPN
 * offers h2, and each origin's pool sizes its clients' concurrency by what ALPN chose.
 */
export function http2AgentOptions(): { allowH2: true; factory: (origin: string | URL, options: object) => Dispatcher } {
  return { allowH2: true, factory: http2Pool };
}

/** The per-origin pool of an HTTP/2-capable agent. */
function http2Pool(origin: string | URL, options: object): Dispatcher {
  return new Pool(origin, { ...(options as ConstructorParameters<typeof Pool>[1]), allowH2: true, factory: protocolSizedClient });
}

/**
 * One connection whose concurrency follows the protocol its TLS handshake chose. Each call it
 * carries is told the connection's protocol (ProtocolAware): a client holds one socket at a time,
 * and the state is set at each connect, before any answer on that socket is read.
 */
function protocolSizedClient(origin: URL, options: object): Dispatcher {
  const given = options as ClientOptions;
  const connect = given.connect as Connector;
  const state: ConnectionProtocol = { protocol: 'http/1.1' };
  const client: Client = new Client(origin, {
    ...given,
    connect: (connectOptions, callback) =>
      connect(connectOptions, (error, socket) => {
        const h2 = socket !== null && socket !== undefined && (socket as TLSSocket).alpnProtocol === 'h2';
        // Set before undici reads it (after this callback): no resume is scheduled for the change.
        if (socket) (client as unknown as Record<symbol, number>)[kPipelining] = h2 ? H2_STREAMS_PER_CONNECTION : 1;
        if (socket) state.protocol = h2 ? 'h2' : 'http/1.1';
        (callback as (error: Error | null, socket: unknown) => void)(error, socket);
      }),
  });
  // The pool hands each call to a client's dispatch: the call learns whose connection carries it.
  const dispatch = client.dispatch;
  client.dispatch = function (this: Client, dispatchOptions: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if ('connection' in handler) (handler as ProtocolAware).connection = state;
    return dispatch.call(this, dispatchOptions, handler);
  };
  return client;
}

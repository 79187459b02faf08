/**
 * The parts of undici the engine calls upstream with — Agent, ProxyAgent and the request API —
 * loaded from their own modules. undici's index also loads fetch, WebSocket, EventSource, the
 * cache stores and the mock agents (and through them Node's own bundled undici): about 75 more
 * modules, 8 MB of memory and a noticeable part of `serve`'s start (README, Performance), none of
 * which a gateway uses. The types are undici's own; test/perf/lazy-modules.test.ts checks that a
 * started gateway never loads the index, so a moved file fails a test, not a user.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType, Client as ClientType, Dispatcher, Pool as PoolType, ProxyAgent as ProxyAgentType } from 'undici';

const load = createRequire(import.meta.url);

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof AgentType;
export type Agent = AgentType;
export const ProxyAgent = load('undici/lib/dispatcher/proxy-agent.js') as typeof ProxyAgentType;
export type ProxyAgent = ProxyAgentType;
// Already loaded by Agent (its default factory): the pool a ProxyAgent keeps to its proxy.
export const Pool = load('undici/lib/dispatcher/pool.js') as typeof PoolType;
// Loaded by Pool too: the one connection (HTTP/1.1 or HTTP/2) a pool holds several of.
export const Client = load('undici/lib/dispatcher/client.js') as typeof ClientType;
export type Client = ClientType;
/** How many requests a client runs at once on its connection (its `pipelining`, without the setter's resume). */
export const kPipelining = (load('undici/lib/core/symbols.js') as { kPipelining: symbol }).kPipelining;
// What undici's index does too: the request/stream/connect… methods on every dispatcher
// (ProxyAgent tunnels with its client's `connect`).
const DispatcherBase = load('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(DispatcherBase.prototype, load('undici/lib/api/index.js') as object);

/** undici's own header parsing (lower-cased names, repeated headers as arrays), as request() gives them. */
export const parseHeaders = (load('undici/lib/core/util.js') as { parseHeaders(raw: Buffer[]): Record<string, string | string[]> }).parseHeaders;

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** undici's `request(url, options)` on an explicit dispatcher (never the global one). */
export function request(url: string | URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const { dispatcher, ...rest } = options;
  return dispatcher.request({ ...rest, origin: target.origin, path: `${target.pathname}${target.search}` });
}

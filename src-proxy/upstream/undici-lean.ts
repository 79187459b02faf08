/// <reference path="./undici-modules.d.ts" />
/**
 * The parts of undici the engine calls upstream with — Agent, ProxyAgent and the request API —
 * imported from their own modules. undici's index also loads fetch, WebSocket, EventSource, the
 * cache stores and the mock agents (and through them Node's own bundled undici): about 75 more
 * modules, 8 MB of memory and a noticeable part of `serve`'s start (README, Performance), none of
 * which a gateway uses. Static imports, so the engine's bundle takes these ~35 modules in and they
 * start through V8's code cache with the rest (they were loaded through createRequire, resolved,
 * read and compiled at every start: README, Performance). Their types: undici-modules.d.ts.
 * test/perf/lazy-modules.test.ts checks the bundle holds them and not the index.
 */
import type { Agent as AgentType, Client as ClientType, Dispatcher, Pool as PoolType, ProxyAgent as ProxyAgentType } from 'undici';
import AgentModule from 'undici/lib/dispatcher/agent.js';
import ProxyAgentModule from 'undici/lib/dispatcher/proxy-agent.js';
import PoolModule from 'undici/lib/dispatcher/pool.js';
import ClientModule from 'undici/lib/dispatcher/client.js';
import symbols from 'undici/lib/core/symbols.js';
import DispatcherModule from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import util from 'undici/lib/core/util.js';

export const Agent = AgentModule as typeof AgentType;
export type Agent = AgentType;
export const ProxyAgent = ProxyAgentModule as typeof ProxyAgentType;
export type ProxyAgent = ProxyAgentType;
// Already loaded by Agent (its default factory): the pool a ProxyAgent keeps to its proxy.
export const Pool = PoolModule as typeof PoolType;
// Loaded by Pool too: the one connection (HTTP/1.1 or HTTP/2) a pool holds several of.
export const Client = ClientModule as typeof ClientType;
export type Client = ClientType;
/** How many requests a client runs at once on its connection (its `pipelining`, without the setter's resume). */
export const kPipelining = symbols.kPipelining;
// What undici's index does too: the request/stream/connect… methods on every dispatcher
// (ProxyAgent tunnels with its client's `connect`).
Object.assign(DispatcherModule.prototype, api);

/** undici's own header parsing (lower-cased names, repeated headers as arrays), as request() gives them. */
export const parseHeaders = util.parseHeaders;

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** undici's `request(url, options)` on an explicit dispatcher (never the global one). */
export function request(url: string | URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const { dispatcher, ...rest } = options;
  return dispatcher.request({ ...rest, origin: target.origin, path: `${target.pathname}${target.search}` });
}

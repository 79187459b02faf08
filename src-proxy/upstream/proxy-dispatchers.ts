/**
 * Dispatchers for upstream calls that go out through an outbound proxy: one per (proxy, origin,
 * connect timeout, connection count), created on first use, kept for keep-alive like the direct
 * agents, and closed when the proxy is no longer configured (`retain`) or the client closes.
 *
 * - http:// and https:// proxies: undici's ProxyAgent, which tunnels with HTTP CONNECT (also to
 *   plain-http origins, so the proxy never sees a request line or a key) and sends the URL's
 *   credentials as Proxy-Authorization. An https:// proxy with a private certificate authority is
 *   trusted through settings.proxyCa (PEM), added to Node's own roots for the proxy hop only.
 * - socks5:// proxies: the `socks` package opens the tunnel inside undici's connector, and TLS to
 *   an https origin runs over it.
 *
 * A failure on the way to the proxy becomes proxy_unreachable / proxy_auth_failed naming the
 * proxy by scheme, host and port only (`proxyName`); the credentials never reach an error.
 */
import { createRequire } from 'node:module';
import tls from 'node:tls';
import type { buildConnector, Dispatcher } from 'undici';
import { Agent, Pool, ProxyAgent } from './undici-lean.ts';
import { http2AgentOptions } from './http2-pools.ts';
import type { SocksClient } from 'socks';
import { proxyName } from '../domain/proxy-url.ts';
import { GatewayError } from '../errors/codes.ts';

export interface ProxyDispatchers {
  /** `http2`: the provider allows HTTP/2 inside the tunnel (http2-pools.ts). */
  dispatcher(proxyUrl: string, origin: string, connectMs: number, connections: number, http2?: boolean): Dispatcher;
  /** Closes the dispatchers of proxies not in `proxyUrls` (the configuration changed). */
  retain(proxyUrls: ReadonlySet<string>): void;
  close(): Promise<void>;
  readonly size: number;
}

export interface ProxyDispatcherOptions {
  /** Extra CA certificates (PEM) trusted for the TLS hop to an https:// proxy (settings.proxyCa). */
  proxyCa?: () => string | null;
  /** Extra CA certificates (PEM) trusted for the provider's own TLS inside the tunnel. */
  upstreamCa?: string;
}

/**
 * One TLS context trusting Node's roots plus a private CA (so a server with a public certificate
 * is still trusted), shared by every connection that needs it. Given as `ca`, each tls.connect
 * builds a context of its own and parses the ~145 roots into it (~1.1 MB of native memory per
 * live connection, and the CPU of parsing them per handshake).
 */
export function trustingContext(ca: string): tls.SecureContext {
  return tls.createSecureContext({ ca: [...tls.rootCertificates, ca] });
}

export function createProxyDispatchers(options: ProxyDispatcherOptions = {}): ProxyDispatchers {
  const cache = new Map<string, { proxyUrl: string; ca: string | null; dispatcher: Dispatcher }>();
  const proxyCa = options.proxyCa ?? (() => null);

  const upstreamContext = options.upstreamCa ? trustingContext(options.upstreamCa) : undefined;

  function create(proxyUrl: string, connectMs: number, connections: number, ca: string | null, http2: boolean): Dispatcher {
    const common = { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000, connections, ...(http2 ? http2AgentOptions() : {}) };
    if (proxyUrl.startsWith('socks5:')) return new Agent({ ...common, connect: socksConnector(proxyUrl, connectMs, upstreamContext) });
    const proxyTls = ca && proxyUrl.startsWith('https:') ? { proxyTls: { secureContext: trustingContext(ca) } } : {};
    const proxyHop = proxyUrl.startsWith('https:') ? { clientFactory: proxyHopPool } : {};
    // The provider's TLS inside the tunnel: its ALPN offers h2 only when the provider allows it.
    const requestTls = http2 || upstreamContext ? { requestTls: { ...(http2 ? { allowH2: true } : {}), ...(upstreamContext ? { secureContext: upstreamContext } : {}) } } : {};
    return new ProxyAgent({ uri: proxyUrl, ...common, connect: { timeout: connectMs }, proxyTunnel: true, ...proxyTls, ...proxyHop, ...requestTls });
  }

  return {
    dispatcher(proxyUrl, origin, connectMs, connections, http2 = false) {
      const id = `${proxyUrl}\u0000${origin}\u0000${http2 ? 'h2' : 'h1'}\u0000${connectMs}:${connections}`;
      const ca = proxyCa();
      let entry = cache.get(id);
      if (entry && entry.ca !== ca) entry = undefined;
      if (!entry) {
        // A changed timeout or connection count gets a new dispatcher; the old one finishes what it carries.
        const prefix = `${proxyUrl}\u0000${origin}\u0000${http2 ? 'h2' : 'h1'}\u0000`;
        for (const [oldId, old] of cache) {
          if (oldId.startsWith(prefix)) {
            cache.delete(oldId);
            void old.dispatcher.close().catch(() => undefined);
          }
        }
        entry = { proxyUrl, ca, dispatcher: create(proxyUrl, connectMs, connections, ca, http2) };
        cache.set(id, entry);
      }
      return entry.dispatcher;
    },
    retain(proxyUrls) {
      for (const [id, entry] of cache) {
        if (proxyUrls.has(entry.proxyUrl)) continue;
        cache.delete(id);
        void entry.dispatcher.close().catch(() => undefined);
      }
    },
    async close() {
      const all = [...cache.values()];
      cache.clear();
      await Promise.all(all.map((entry) => entry.dispatcher.close().catch(() => undefined)));
    },
    get size() {
      return cache.size;
    },
  };
}

type Connector = buildConnector.connector;

// Loaded with the first socks5 proxy (a few MB of heap a gateway without one never pays).
let socks: typeof SocksClient | null = null;
const socksClient = (): typeof SocksClient => (socks ??= (createRequire(import.meta.url)('socks') as { SocksClient: typeof SocksClient }).SocksClient);

/** undici's connector hook: the TCP stream comes from a SOCKS5 CONNECT instead of a direct dial. */
function socksConnector(proxyUrl: string, connectMs: number, secureContext: tls.SecureContext | undefined): Connector {
  const url = new URL(proxyUrl);
  const proxy = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 1080),
    type: 5 as const,
    ...(url.username ? { userId: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : {}),
  };
  return (options, callback) => {
    const https = options.protocol === 'https:';
    socksClient().createConnection({
      proxy,
      command: 'connect',
      destination: { host: options.hostname.replace(/^\[|\]$/g, ''), port: Number(options.port || (https ? 443 : 80)) },
      timeout: connectMs,
    }).then(
      ({ socket }) => {
        if (!https) return callback(null, socket);
        // undici passes allowH2 to a custom connector when the agent allows it (http2-pools.ts).
        const alpn = (options as { allowH2?: boolean }).allowH2 ? ['h2', 'http/1.1'] : ['http/1.1'];
        const secure = tls.connect({ socket, servername: options.servername || options.hostname, ALPNProtocols: alpn, ...(secureContext ? { secureContext } : {}) });
        secure.once('secureConnect', () => callback(null, secure));
        secure.once('error', (error) => callback(error, null));
      },
      (error: unknown) => callback(tagSocksError(error), null),
    );
  };
}

/** OpenSSL's verification failures (an unknown CA, a self-signed or expired certificate, a wrong host name). */
const UNTRUSTED_CERTIFICATE = /^(?:ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT(?:_LOCALLY)?)|CERT_[A-Z_]+)$/;

/**
 * The pool a ProxyAgent keeps to an https:// proxy (undici's default, `new Pool(origin, opts)`),
 * its connector wrapped so a certificate the proxy hop fails on is tagged as the proxy's: the same
 * OpenSSL codes from the provider's own TLS, inside the tunnel, stay the provider's.
 */
function proxyHopPool(origin: URL, options: { connect: Connector }): Dispatcher {
  const connect: Connector = (connectOptions, callback) =>
    options.connect(connectOptions, (...result) => {
      const [error] = result;
      const code = (error as { code?: string } | null)?.code ?? '';
      if (error && UNTRUSTED_CERTIFICATE.test(code)) return callback(Object.assign(new Error(error.message, { cause: error }), { code: 'SB_PROXY_TLS', tlsCode: code }), null);
      return callback(...result);
    });
  return new Pool(origin, { ...options, connect });
}

/** The socks package's failures, sorted into what the user must fix (tagged for proxyError below). */
function tagSocksError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const kind = /authentication|auth.*failed|no acceptable auth/i.test(message) ? 'auth' : /rejected connection|HostUnreachable|NetworkUnreachable|ConnectionRefused|TTLExpired|NotAllowed/i.test(message) ? 'target' : 'proxy';
  return Object.assign(new Error(message, { cause: error }), { code: `SB_SOCKS_${kind.toUpperCase()}` });
}

/**
 * A transport error of a call through `proxyUrl` as a proxy error, or null when it is not about
 * the proxy (the caller maps it as for a direct call).
 */
export function proxyError(error: unknown, proxyUrl: string): GatewayError | null {
  if (error instanceof GatewayError) return null;
  const name = proxyName(proxyUrl);
  const code = (error as { code?: string } | null)?.code ?? '';
  const message = error instanceof Error ? error.message : '';
  const tunnel = /^Proxy response \((\d{3})\)/.exec(message);
  if (tunnel) {
    const status = Number(tunnel[1]);
    if (status === 407) return new GatewayError('proxy_auth_failed', `The proxy ${name} answered 407 (proxy authentication required)`, { cause: error });
    return new GatewayError('upstream_unreachable', `The proxy ${name} could not open a tunnel to the provider (it answered ${status})`, { cause: error });
  }
  if (code === 'SB_PROXY_TLS') {
    const tlsCode = (error as { tlsCode?: string }).tlsCode ?? 'certificate refused';
    return new GatewayError('proxy_tls_untrusted', `The https:// proxy ${name} showed a TLS certificate Switchboard does not trust (${tlsCode})`, { cause: error });
  }
  if (code === 'SB_SOCKS_AUTH') return new GatewayError('proxy_auth_failed', `The SOCKS5 proxy ${name} refused the user and password`, { cause: error });
  if (code === 'SB_SOCKS_TARGET') return new GatewayError('upstream_unreachable', `The SOCKS5 proxy ${name} could not reach the provider (${message.replace(/^.*- /, '')})`, { cause: error });
  if (code === 'SB_SOCKS_PROXY' || ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) {
    return new GatewayError('proxy_unreachable', `Could not connect through the proxy ${name} (${code.startsWith('SB_') ? message : code})`, { cause: error });
  }
  return null;
}

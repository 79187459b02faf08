/**
 * The engine as its hosts see it: the headless CLI (`serve`), the Electron main process and the
 * tests. It owns the store, the HTTP server and the control service; hosts only start, stop and
 * observe it. Nothing here knows about Electron.
 */
import type { MediaFetchOptions } from './upstream/media-fetch.ts';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ControlApi, ControlEventSource, ProxyStatus } from './control/contract.ts';
import type { FrontDoors } from './dialects/registry.ts';
import type { ProviderCatalog } from './providers/types.ts';
import type { Timers } from './routing/circuit-breakers.ts';
import type { SecretCipher, Store } from './store/types.ts';
import type { LogTail } from './log-tail.ts';
import type { GlibcMalloc } from './memory/glibc-malloc.ts';

export interface TeamServing {
  /** HTTPS with this certificate and key (PEM); absent = HTTP (TLS ends at a load balancer). */
  tls?: { cert: Buffer; key: Buffer };
  /** Overrides `settings.trustProxy` for this run (serve's --trust-proxy). */
  trustProxy?: boolean | number | string;
}

export interface GatewayOptions {
  /** Folder holding switchboard.db (and the headless key file). */
  dataDir: string;
  /** A loopback address (default 127.0.0.1); any other only in team mode. */
  host?: string;
  /**
   * Team mode: one of several instances of a team server, on a shared store. Every gateway route
   * needs a client token, the Host may be one of `settings.publicHosts`, and the listener may be
   * on any address. See `TeamServing` for TLS and proxies.
   */
  team?: TeamServing;
  /** Overrides the port setting for this run (0 = pick a free port). */
  port?: number;
  /** Secret storage; default: AES-256-GCM with a key file in dataDir. */
  cipher?: SecretCipher;
  logger?: Logger;
  /**
   * The in-memory tail the host's logger also writes to (createLogger({ tail }), the desktop's
   * log file logger); the live log console and the diagnostics bundle read it. Default: a new
   * one, fed by the default logger.
   */
  logTail?: LogTail;
  /**
   * Headless: keep the listener (and the dashboard on it) while the proxy is "stopped"; dialect
   * routes then answer 503. Desktop: stopping closes the listener.
   */
  keepListenerWhenStopped?: boolean;
  /** The built dashboard folder `serve` serves (null: not built), for the doctor's check; leave out where there is none. */
  dashboardDir?: string | null;
  /** Version string reported by /api/version-like endpoints and status. */
  version?: string;
  /** False turns request history off entirely (the benchmark measures its cost). Default true. */
  recordHistory?: boolean;
  /**
   * glibc's allocator controls (memory/native-memory.ts): thresholds fixed at creation, a trim
   * once idle. Default: the addon the build made, when there is one; null leaves glibc as it is.
   */
  malloc?: GlibcMalloc | null;
  /** The provider kinds to serve (default: createProviderCatalog() over providers/registry.ts). */
  providers?: ProviderCatalog;
  /** The front doors to serve (default: createFrontDoors() over dialects/registry.ts). */
  frontDoors?: FrontDoors;
  /**
   * Downloads of client-given image URLs. Tests widen the address rule and trust their own
   * certificate to serve images from loopback; the default allows public https addresses only.
   */
  mediaFetch?: MediaFetchOptions;
  /** Extra CA certificates (PEM) trusted for providers' TLS besides Node's roots (tests; a private CA). */
  upstreamCa?: string;
  /** The clock of circuit breakers and session timeouts (tests drive it; default: the real one). */
  clock?: { now(): number; timers: Timers };
  /**
   * A Redis-compatible server (redis://…, rediss://…, valkey://…) that several instances of one
   * team share: client limits and budgets, key cooldowns and the response cache. Unset (the
   * default): all of it lives in this process.
   */
  shared?: string;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY come from here (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** settings.useSystemProxy when it is unset (null): on for the desktop app, off for `serve`. */
  systemProxyByDefault?: boolean;
  /**
   * The store: unset (or `sqlite`) is switchboard.db in dataDir; `postgres://user:pass@host/db`
   * is the team store several instances share (team mode). The URL is a secret: never logged.
   */
  store?: string;
  /**
   * The team secret key (32 bytes) that encrypts provider keys at rest in a PostgreSQL store; every
   * instance of a team needs the same. Required with a postgres store unless `cipher` is given.
   */
  secretKey?: Buffer;
  /** Registers extra routes on each new HTTP server (the dashboard's control transport). */
  extendServer?: (app: FastifyInstance, engine: { control: ControlApi; events: ControlEventSource }) => void;
}

export interface Gateway {
  readonly store: Store;
  /** The provider kinds this gateway serves (config import checks providers against them). */
  readonly providers: ProviderCatalog;
  readonly control: ControlApi;
  readonly events: ControlEventSource;
  readonly logger: Logger;
  readonly logTail: LogTail;
  /** Starts listening. Rejects with GatewayError('port_in_use') naming the port. */
  start(): Promise<ProxyStatus>;
  /**
   * Stops accepting, lets in-flight requests finish until the drain deadline, then ends the rest
   * with an in-band "proxy stopping" error and aborts their upstream requests.
   */
  stop(options?: { drainTimeoutMs?: number }): Promise<ProxyStatus>;
  status(): ProxyStatus;
  /** stop() + flush history + checkpoint + close the database. */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
  /** Flushes pending history rows now (tests, shutdown). */
  flushHistory(): void;
  /** Resolves when background work (key checks, model discovery) has settled. */
  whenIdle(): Promise<void>;
}

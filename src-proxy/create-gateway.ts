/**
 * The engine: store, history, routing, HTTP server and control service, with a lifecycle the
 * hosts (headless CLI, Electron main, tests) drive. See gateway-types.ts for the contract.
 */
import type { FastifyInstance } from 'fastify';
import type { ControlApi, ProxyStatus } from './control/contract.ts';
import type { ModelMetadata } from './domain/model-metadata.ts';
import { createControlEvents } from './control/events.ts';
import { createControlService } from './control/service.ts';
import { createFrontDoors } from './dialects/registry.ts';
import type { DialectContext } from './http/dialect-context.ts';
import { GatewayError, toGatewayError } from './errors/codes.ts';
import { gatewayOrigin } from './domain/endpoints.ts';
import type { Gateway, GatewayOptions } from './gateway-types.ts';
import { createHistoryRecorder } from './history/recorder.ts';
import { startRetention } from './history/retention.ts';
import { Exchange, type InFlight } from './http/exchange.ts';
import { createLogger } from './logging.ts';
import { createProviderCatalog } from './providers/registry.ts';
import { createModelDiscovery } from './routing/discovery.ts';
import { createKeyChecker } from './routing/key-check.ts';
import { createKeyPool } from './routing/key-pool.ts';
import { createRouter } from './routing/router.ts';
import { createHttpServer } from './server.ts';
import { openStore } from './store/create-store.ts';
import { createUpstreamHttp } from './upstream/http-client.ts';
import { createVerifiedTokenCache } from './security/token-cache.ts';
import { resolveModelMetadata } from './routing/model-metadata.ts';

export const SWITCHBOARD_VERSION = '0.1.0';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1']);

/** Control operations that only read; every other one may change routing. */
const READ_ONLY_OPERATIONS = /^(get|list|query|test)/;

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new GatewayError('invalid_request', `Switchboard listens on loopback only (127.0.0.1 or ::1), not "${host}": it holds your provider keys and must not be reachable from the network`);
  }
  const version = options.version ?? SWITCHBOARD_VERSION;
  const logger = options.logger ?? createLogger();
  const store = openStore({ dataDir: options.dataDir, cipher: options.cipher });
  const events = createControlEvents();
  const emit: typeof events.emit = (event) => {
    try {
      events.emit(event);
    } catch (error) {
      logger.warn({ err: error }, 'a control event listener failed');
    }
  };
  const recorder = createHistoryRecorder({
    history: store.history,
    onFlushed: (rows) => emit({ type: 'history', rows }),
    onError: (error, dropped) => logger.error({ err: error, dropped }, 'could not write history rows'),
  });
  const stopRetention = startRetention({ history: store.history, settings: () => store.settings.get(), checkpoint: () => store.checkpoint(), onError: (error) => logger.error({ err: error }, 'history retention failed') });
  const http = createUpstreamHttp();
  const providers = options.providers ?? createProviderCatalog();
  const frontDoors = options.frontDoors ?? createFrontDoors();
  // Key checks call the key's models endpoint through discovery (bound late: discovery needs the pool).
  const keyChecker = createKeyChecker({
    check: (providerId, keyId) => discovery.checkKey(providerId, keyId),
    onError: (error) => logger.warn({ err: error }, 'a key check failed'),
  });
  const keyPool = createKeyPool({ keys: store.keys, checker: keyChecker });
  const router = createRouter({ store, providers, keyPool });
  const discovery = createModelDiscovery({ store, providers, http, keyPool, settings: () => store.settings.get(), onChanged: () => router.invalidate() });
  const inflight = new Set<InFlight>();
  const tokenCache = createVerifiedTokenCache(store.clientTokens);

  let settingsCache = store.settings.get();
  // Upstream timeouts per call: the total budget is armed once per client request (Exchange).
  let callTimeouts = { ...settingsCache.timeouts, totalMs: 0 };
  let app: FastifyInstance | null = null;
  let listeningPort: number | null = null;
  let gatewayEnabled = false;
  let state: ProxyStatus['state'] = 'stopped';
  let lastError: ProxyStatus['error'] = null;
  let startedAt: number | null = null;

  const dialectContext: DialectContext = {
    store,
    router,
    providers,
    http,
    settings: () => settingsCache,
    version,
    exchange: (request, reply, dialect, endpoint) =>
      new Exchange(request, reply, dialect, endpoint, {
        record: options.recordHistory === false ? () => undefined : (record) => recorder.record(record),
        inflight,
        recordBodies: () => settingsCache.recordBodies,
        renderError: (name, error) => frontDoors.renderError(name, error),
        providerErrorShape: (id) => {
          const kind = store.providers.get(id)?.kind;
          return kind === undefined ? undefined : providers.spoke(kind)?.errorShape;
        },
      }),
    upstreamContext: (exchange) => {
      exchange.armTotalTimeout(settingsCache.timeouts.totalMs);
      return {
      http,
      signal: exchange.abort.signal,
      timeouts: callTimeouts,
      clientHeaders: exchange.request.headers as Record<string, string | undefined>,
      captureUpstreamBody: exchange.captureBodies ? exchange.captureUpstream : undefined,
      };
    },
    refreshStaleModels: () => discovery.refreshStale(),
    modelMetadata: (name: string): ModelMetadata => resolveModelMetadata(name, { router }),
  };

  function status(): ProxyStatus {
    const dayStart = new Date();
    dayStart.setHours(0, 0, 0, 0);
    const today = store.history.countSince(dayStart.getTime());
    return {
      state,
      host,
      port: listeningPort,
      baseUrl: listeningPort !== null && gatewayEnabled ? gatewayOrigin(host, listeningPort) : null,
      endpoints: frontDoors.endpoints(),
      error: lastError,
      startedAt,
      requestsToday: today.requests,
      errorsToday: today.errors,
      version,
      dataDir: options.dataDir,
    };
  }

  function setState(next: ProxyStatus['state'], error: ProxyStatus['error'] = null) {
    state = next;
    lastError = error;
    emit({ type: 'status', status: status() });
  }

  async function listen(): Promise<void> {
    settingsCache = store.settings.get();
    callTimeouts = { ...settingsCache.timeouts, totalMs: 0 };
    const port = options.port ?? settingsCache.port;
    const server = createHttpServer({
      logger,
      bodyLimitBytes: settingsCache.bodyLimitBytes,
      version,
      startedAt: () => startedAt,
      frontDoors,
      dialects: dialectContext,
      security: {
        port: () => listeningPort ?? port,
        settings: () => settingsCache,
        clientTokens: store.clientTokens,
        verifyToken: (presented) => tokenCache.verify(presented),
        gatewayEnabled: () => gatewayEnabled,
        clientToken: (request, dialect) => frontDoors.byName(dialect).clientToken(request),
      },
      extend: options.extendServer ? (instance) => options.extendServer!(instance, { control, events }) : undefined,
    });
    try {
      await server.listen({ host, port });
    } catch (error) {
      await server.close().catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new GatewayError('port_in_use', `Port ${port} on ${host} is already in use by another program (is Ollama or another Switchboard running?). Choose another port with --port or in Settings`);
      }
      if ((error as NodeJS.ErrnoException).code === 'EACCES') {
        throw new GatewayError('port_in_use', `Port ${port} on ${host} cannot be used by this user; choose a port above 1024`);
      }
      throw error;
    }
    const address = server.server.address();
    listeningPort = typeof address === 'object' && address ? address.port : port;
    app = server;
  }

  async function start(): Promise<ProxyStatus> {
    if (state === 'running') return status();
    setState('starting');
    try {
      if (!app) await listen();
      gatewayEnabled = true;
      startedAt = Date.now();
      setState('running');
      void discovery.refresh().catch((error) => logger.warn({ err: error }, 'model discovery failed'));
      return status();
    } catch (thrown) {
      const error = toGatewayError(thrown);
      if (error.code === 'internal_error') logger.error({ err: thrown }, 'the proxy could not start');
      setState('error', { code: error.code, message: error.message });
      throw error;
    }
  }

  /** Ends what is still running at the deadline: in-band error for streams, 503 for the rest. */
  async function drain(deadlineMs: number): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (inflight.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
    const error = new GatewayError('proxy_stopping');
    for (const entry of [...inflight]) entry.terminate(error);
    inflight.clear();
  }

  async function stop(stopOptions: { drainTimeoutMs?: number } = {}): Promise<ProxyStatus> {
    if (state === 'stopped' || state === 'stopping') return status();
    const deadline = stopOptions.drainTimeoutMs ?? settingsCache.drainTimeoutMs;
    setState('stopping');
    gatewayEnabled = false;
    if (options.keepListenerWhenStopped) {
      await drain(deadline);
    } else if (app) {
      const closing = app.close();
      await drain(deadline);
      // Give the in-band errors a moment to flush, then cut what is left.
      await new Promise((resolve) => setTimeout(resolve, 50));
      app.server.closeAllConnections();
      await closing;
      app = null;
      listeningPort = null;
    }
    startedAt = null;
    setState('stopped');
    recorder.flush();
    return status();
  }

  const service = createControlService({
    store,
    providers,
    engine: { status, start, stop: () => stop() },
    upstream: { testProvider: (id, keyId) => discovery.testProvider(id, keyId), refreshModels: (id) => discovery.refresh(id) },
    events: { emitStatus: () => emit({ type: 'status', status: status() }) },
  });
  // Wrap mutating operations so routing sees configuration changes at once.
  const control = Object.fromEntries(
    Object.entries(service).map(([name, fn]) => [
      name,
      READ_ONLY_OPERATIONS.test(name)
        ? fn
        : async (request: unknown) => {
            const result = await (fn as (request: unknown) => Promise<unknown>)(request);
            router.invalidate();
            keyPool.invalidate();
            tokenCache.clear();
            settingsCache = store.settings.get();
    callTimeouts = { ...settingsCache.timeouts, totalMs: 0 };
            if (name === 'replaceKey' || name === 'setKeyEnabled') keyPool.reset((request as { keyId: number }).keyId);
            if (name === 'upsertProvider' || name === 'addKey') void discovery.refresh((request as { providerId?: string; id?: string }).providerId ?? (request as { id: string }).id).catch(() => undefined);
            return result;
          },
    ]),
  ) as ControlApi;

  let closed = false;
  return {
    store,
    providers,
    control,
    events,
    logger,
    start,
    stop,
    status,
    flushHistory: () => recorder.flush(),
    async whenIdle() {
      await Promise.all([keyPool.whenIdle(), discovery.whenIdle()]);
    },
    async close(closeOptions) {
      if (closed) return;
      closed = true;
      if (app) {
        options.keepListenerWhenStopped = false;
        if (state !== 'stopped') await stop(closeOptions);
        if (app) {
          await app.close();
          app = null;
        }
      }
      stopRetention();
      recorder.close();
      await http.close();
      store.checkpoint();
      store.close();
    },
  };
}

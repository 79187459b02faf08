/**
 * The engine's composition root: creates the store, history, provider catalog, front doors,
 * routing, HTTP server factory and control service, and wires them together. Wiring only: the
 * start/stop state machine is gateway/lifecycle.ts, the refresh after configuring operations is
 * gateway/configure-refresh.ts. See gateway-types.ts for what hosts (the headless CLI, Electron
 * main, the tests) can do with the result.
 */
import type { ProxyStatus } from './control/contract.ts';
import type { ModelMetadata } from './domain/model-metadata.ts';
import { createControlEvents } from './control/events.ts';
import { createControlService } from './control/service.ts';
import { createFrontDoors } from './dialects/registry.ts';
import type { DialectContext } from './http/dialect-context.ts';
import { GatewayError } from './errors/codes.ts';
import { gatewayOrigin } from './domain/endpoints.ts';
import { refreshingAfterConfigure } from './gateway/configure-refresh.ts';
import { createLifecycle } from './gateway/lifecycle.ts';
import type { Gateway, GatewayOptions } from './gateway-types.ts';
import { openHistoryJournal } from './history/journal.ts';
import { createHistoryRecorder } from './history/recorder.ts';
import { createRefusalRows } from './http/refusal-rows.ts';
import { startRetention } from './history/retention.ts';
import { Exchange, type ExchangeDeps } from './http/exchange.ts';
import { InFlightRequests } from './http/in-flight.ts';
import { createDeadlines } from './http/deadlines.ts';
import { createLogger } from './logging.ts';
import { tuneNativeMemory } from './memory/native-memory.ts';
import { createProviderCatalog } from './providers/registry.ts';
import { createModelDiscovery } from './routing/discovery.ts';
import { createKeyChecker } from './routing/key-check.ts';
import { createKeyPool } from './routing/key-pool.ts';
import { createRouter } from './routing/router.ts';
import { createHttpServer, type Readiness } from './server.ts';
import { createKeyCredentials } from './routing/key-credentials.ts';
import { configuredProxyUrls, createProxyChoice } from './routing/proxy-choice.ts';
import { createProxyPool } from './routing/proxy-pool.ts';
import { createSystemProxy } from './upstream/system-proxy.ts';
import { openStore } from './store/create-store.ts';
import { openTeamStore } from './store/open-team-store.ts';
import { isTeamStore } from './store/store-url.ts';
import { createUpstreamHttp } from './upstream/http-client.ts';
import { createVerifiedTokenCache } from './security/token-cache.ts';
import { resolveModelMetadata } from './routing/model-metadata.ts';
import { runChecks } from './doctor/run-checks.ts';
import { createChatCacheStep } from './cache/cache-step.ts';
import { createSqliteResponseCache } from './cache/sqlite-response-cache.ts';
import { createGovernance } from './policy/create-governance.ts';
import { createProviderPacing } from './policy/provider-pacing.ts';
import { createSessionStates } from './policy/session-state.ts';
import { createMetricsTap } from './gateway/metrics-tap.ts';
import { createCaptureRedactor } from './security/capture-redaction.ts';
import { createMediaFetcher } from './upstream/media-fetch.ts';
import { createCircuitBreakers } from './routing/circuit-breakers.ts';
import { circuitEventRecord } from './routing/circuit-events.ts';
import { createProviderProbe } from './routing/provider-probe.ts';
import { openSharedConnection, type SharedConnection } from './shared/shared-connection.ts';
import { createSharedLimitStore, sharedClientName } from './shared/shared-limit-store.ts';
import { createSharedCooldowns, type SharedCooldowns } from './shared/shared-cooldowns.ts';
import { createSharedCircuits, type SharedCircuits } from './shared/shared-circuits.ts';
import { createSharedResponseCache } from './shared/shared-response-cache.ts';
import { createTeamResponseCache } from './cache/team-response-cache.ts';
import { createSharedRotation } from './shared/shared-rotation.ts';
import { createSharedConfigNotices, type SharedConfigNotices } from './shared/shared-config-notices.ts';
import { createLogTail } from './log-tail.ts';
import { forwardLogEvents } from './gateway/log-events.ts';
import { buildDiagnosticsBundle } from './diagnostics/build-bundle.ts';

export const SWITCHBOARD_VERSION = '0.1.0';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1']);

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const team = options.team;
  if (!LOOPBACK_HOSTS.has(host) && !team) {
    throw new GatewayError('invalid_request', `Switchboard listens on loopback only (127.0.0.1 or ::1), not "${host}": it holds your provider keys and must not be reachable from the network (a team server, on a shared store, may)`);
  }
  const version = options.version ?? SWITCHBOARD_VERSION;
  // The host's logger writes into its own tail (serve, the desktop app); a bare one gets this one.
  const logTail = options.logTail ?? createLogTail();
  const logger = options.logger ?? createLogger({ tail: logTail });
  const store = isTeamStore(options.store)
    ? await openTeamStore({ url: options.store!, cipher: options.cipher, secretKey: options.secretKey, onError: (error) => logger.warn({ err: error }, 'the team store could not sync') })
    : openStore({ dataDir: options.dataDir, cipher: options.cipher });
  const events = createControlEvents();
  const emit: typeof events.emit = (event) => {
    try {
      events.emit(event);
    } catch (error) {
      logger.warn({ err: error }, 'a control event listener failed');
    }
  };
  const recordHistory = options.recordHistory !== false;
  const recorder = createHistoryRecorder({
    history: store.history,
    // A durable append before each answer's last byte; replays what a killed process left.
    journal: recordHistory ? openHistoryJournal(options.dataDir) : undefined,
    hasListeners: () => events.hasSubscribers(),
    onFlushed: (rows) => emit({ type: 'history', rows }),
    onError: (error, dropped) => logger.error({ err: error, dropped }, 'could not write history rows'),
  });
  if (recorder.replayed > 0) logger.warn({ rows: recorder.replayed }, 'recovered history rows the last run had not yet written (it was stopped abruptly)');
  const stopRetention = startRetention({ history: store.history, settings: () => store.settings.get(), checkpoint: () => store.checkpoint(), onError: (error) => logger.error({ err: error }, 'history retention failed') });
  // settingsCache is assigned below, before any request can reach the HTTP client.
  const pacer = createProviderPacing();
  const http = createUpstreamHttp({
    connectionsPerHost: () => settingsCache.upstreamConnectionsPerHost,
    pacer,
    pacingMaxWaitMs: () => settingsCache.pacingMaxWaitMs,
    proxyCa: () => settingsCache.proxyCa,
    ...(options.upstreamCa ? { upstreamCa: options.upstreamCa } : {}),
  });
  const media = createMediaFetcher(options.mediaFetch);
  const providers = options.providers ?? createProviderCatalog();
  const frontDoors = options.frontDoors ?? createFrontDoors();
  // Key checks call the key's models endpoint through discovery (bound late: discovery needs the pool).
  const keyChecker = createKeyChecker({
    check: (providerId, keyId) => discovery.checkKey(providerId, keyId),
    onError: (error) => logger.warn({ err: error }, 'a key check failed'),
  });
  const proxyPool = createProxyPool({ proxies: () => settingsCache.proxies });
  // Read once at start, like any process reads its environment; warnings never echo a URL.
  const systemProxy = createSystemProxy(options.env ?? process.env);
  for (const problem of systemProxy.problems) logger.warn(problem);
  const useSystemProxy = () => settingsCache.useSystemProxy ?? options.systemProxyByDefault === true;
  const proxies = createProxyChoice({ pool: proxyPool, system: (url) => (useSystemProxy() ? systemProxy.for(url) : undefined) });
  // Bound late like the checker: the shared connection is opened below.
  let sharedCooldowns: SharedCooldowns | null = null;
  let sharedCircuits: SharedCircuits | null = null;
  const keyPool = createKeyPool({
    keys: store.keys,
    checker: keyChecker,
    onCooldown: (keyId, reason) => metrics.keyCooledDown(keyId, reason),
    onRested: (keyId, model, until) => sharedCooldowns?.announce({ keyId, model, until }),
  });
  const breakers = createCircuitBreakers({
    settings: () => settingsCache.circuitBreaker,
    probe: createProviderProbe({ http, connectMs: () => settingsCache.timeouts.connectMs, proxies }),
    now: options.clock?.now,
    timers: options.clock?.timers,
    onChange: (event) => {
      sharedCircuits?.observe(event);
      if (options.recordHistory !== false) recorder.record(circuitEventRecord(event));
      emit({ type: 'status', status: status() });
    },
  });
  const credentials = createKeyCredentials({
    keys: store.keys,
    http,
    timeouts: () => settingsCache.timeouts,
    onError: (keyId, error) => logger.warn({ keyId, err: error }, "could not store an OAuth account's refreshed token"),
  });
  // Opened here (before the router, which shares its rotation through it); a team instance starts
  // even while the shared server is away (degraded), but gives it a moment below.
  const shared: SharedConnection | null = options.shared ? openSharedConnection({ url: options.shared, logger }) : null;
  const rotation = shared ? createSharedRotation({ connection: shared, onError: (error) => logger.warn({ err: error }, 'the shared key rotation could not be read; rotating locally') }) : undefined;
  const router = createRouter({ store, providers, keyPool, breakers, credentials, proxies, proxyPool, rotation });
  const discovery = createModelDiscovery({ store, providers, http, keyPool, credentials, proxies, settings: () => store.settings.get(), onChanged: () => router.invalidate(), onProviderError: (providerId, error) => logger.warn({ providerId, code: error.code, detail: error.message }, 'model discovery failed') });
  const inflight = new InFlightRequests();
  const nativeMemory = tuneNativeMemory({ malloc: options.malloc, logger, inFlight: () => inflight.size, turnover: () => inflight.turnover, whenNextRequest: (callback) => inflight.whenNextAdded(callback) });
  const tokenCache = createVerifiedTokenCache(store.clientTokens);

  let settingsCache = store.settings.get();
  let configNotices: SharedConfigNotices | null = null;
  if (shared) {
    await shared.whenUp(2000);
    sharedCooldowns = createSharedCooldowns({
      connection: shared,
      keys: store.keys,
      rest: ({ keyId, model, until }, message) => keyPool.restAsTold(keyId, model, until, message),
      onError: (error) => logger.warn({ err: error }, 'a shared key cooldown could not be applied'),
    });
    sharedCircuits = createSharedCircuits({
      connection: shared,
      breakers,
      provider: (id) => store.providers.get(id),
      onError: (error) => logger.warn({ err: error }, 'a shared circuit notice could not be applied'),
    });
    // A team store tells the other instances itself (PostgreSQL's NOTIFY, after the change is
    // written): a second notice through the shared server would reload them twice, the first time
    // possibly before the change has reached them.
    configNotices = store.onRemoteChange ? null : createSharedConfigNotices({
      connection: shared,
      reload: () => {
        try {
          reloadConfiguration();
          emit({ type: 'status', status: status() });
        } catch (error) {
          logger.error({ err: error }, 'could not read the configuration another instance changed');
        }
      },
      onError: (error) => logger.warn({ err: error }, 'a shared configuration notice could not be read'),
    });
  }
  const onSpendError = (error: unknown) => logger.error({ err: error }, 'could not record client spend');
  const governance = createGovernance({
    store,
    pacer,
    limits: shared ? createSharedLimitStore({ connection: shared, spend: store.clientSpend, sharedName: (key) => sharedClientName(key, store.clientTokens), onError: onSpendError }) : undefined,
    settings: () => settingsCache,
    onBudgetAlert: (alert) => emit({ type: 'budget', alert }),
    onError: onSpendError,
  });
  // Upstream timeouts per call: the total budget is armed once per client request (Exchange).
  let callTimeouts = { ...settingsCache.timeouts, totalMs: 0 };
  let captureRedactor = createCaptureRedactor(settingsCache.redactFields);
  const readSettings = () => {
    settingsCache = store.settings.get();
    callTimeouts = { ...settingsCache.timeouts, totalMs: 0 };
    captureRedactor = createCaptureRedactor(settingsCache.redactFields);
  };

  const metrics = createMetricsTap({ settings: () => settingsCache, store, shared: shared ?? undefined });

  const cacheMaxBytes = () => settingsCache.cache.maxMb * 1024 * 1024;
  const onCacheError = (error: unknown) => logger.warn({ err: error }, 'the response cache could not write; answers are not kept until it can');
  // A team store keeps one cache for every instance; with --shared the shared server does (below).
  const localCache = store.teamCache
    ? createTeamResponseCache({ repository: store.teamCache, maxBytes: cacheMaxBytes, onError: onCacheError })
    : createSqliteResponseCache({ repository: store.responseCache, maxBytes: cacheMaxBytes, onError: onCacheError });
  const responseCache = shared ? createSharedResponseCache({ connection: shared, local: localCache, maxBytes: cacheMaxBytes, onError: onCacheError }) : localCache;

  // One set of exchange dependencies for every request (not nine closures built per request).
  const exchangeDeps: ExchangeDeps = {
    deadlines: createDeadlines(),
    record: (record) => {
      if (recordHistory) recorder.record(record);
      metrics.observe(record);
    },
    // Read per request: metrics may be switched on or off at any time.
    get streams() {
      return metrics.streams();
    },
    durable: () => recorder.durable(),
    inflight,
    capture: () => (settingsCache.recordBodies ? captureRedactor : null),
    renderError: (name, error) => frontDoors.renderError(name, error),
    providerErrorShape: (id) => {
      const kind = store.providers.get(id)?.kind;
      return kind === undefined ? undefined : providers.spoke(kind)?.errorShape;
    },
    settle: (admitted, usage) => governance.policy.settle(admitted, usage),
    correctPacing: (call, tokens) => pacer.correct(call, tokens, Date.now()),
  };

  const refusalRows = createRefusalRows({ record: (record) => recorder.record(record), redactor: () => captureRedactor });

  const dialectContext: DialectContext = {
    store,
    router,
    providers,
    http,
    settings: () => settingsCache,
    cache: createChatCacheStep({ store: responseCache, onError: (error) => logger.warn({ err: error }, 'the response cache could not keep an answer') }),
    policy: governance.policy,
    sessions: createSessionStates({ idleMs: () => settingsCache.sessions.idleMinutes * 60_000 }),
    version,
    exchange: (request, reply, dialect, endpoint) => new Exchange(request, reply, dialect, endpoint, exchangeDeps),
    upstreamContext: (exchange) => {
      exchange.armTotalTimeout(settingsCache.timeouts.totalMs);
      return {
        http,
        signal: exchange.abort.signal,
        timeouts: callTimeouts,
        clientHeaders: exchange.request.headers as Record<string, string | undefined>,
        client: exchange.clientKey,
        captureUpstreamBody: exchange.captureBodies ? (body: string) => exchange.captureUpstream(body) : undefined,
        captureUpstream: exchange.upstreamCapture ?? undefined,
        answers: exchange,
        note: exchange.note,
        media,
      };
    },
    refreshStaleModels: () => discovery.refreshStale(),
    modelMetadata: (name: string): ModelMetadata => resolveModelMetadata(name, { router }),
  };

  const lifecycle = createLifecycle({
    host,
    port: () => options.port ?? settingsCache.port,
    keepListenerWhenStopped: options.keepListenerWhenStopped === true,
    inflight,
    drainTimeoutMs: () => settingsCache.drainTimeoutMs,
    logger,
    beforeListen: readSettings,
    createServer: (listeningPort) =>
      createHttpServer({
        logger,
        bodyLimitBytes: settingsCache.bodyLimitBytes,
        version,
        startedAt: () => lifecycle.startedAt,
        frontDoors,
        dialects: dialectContext,
        security: {
          port: listeningPort,
          settings: () => settingsCache,
          clientTokens: store.clientTokens,
          verifyToken: (presented) => tokenCache.verify(presented),
          gatewayEnabled: () => lifecycle.accepting,
          clientToken: (request, dialect) => frontDoors.byName(dialect).clientToken(request),
          recordRefusal: recordHistory ? refusalRows : undefined,
          team: team !== undefined,
        },
        tls: team?.tls,
        trustProxy: team ? (team.trustProxy ?? settingsCache.trustProxy) : undefined,
        extend: options.extendServer ? (instance) => options.extendServer!(instance, { control, events }) : undefined,
        metrics: metrics.endpoint,
        onRefused: (code) => metrics.refused(code),
        readiness,
      }),
    onChange: () => emit({ type: 'status', status: status() }),
    onStarted: () => {
      nativeMemory.startIdleTrim();
      void discovery.refresh().catch((error: unknown) => logger.warn({ err: error }, 'model discovery failed'));
    },
    onStopped: () => {
      recorder.flush();
      governance.flush();
    },
  });

  /**
   * GET /ready: accepting requests and the store answers (a team store: reachable and migrated);
   * a shared server away only degrades.
   */
  async function readiness(): Promise<Readiness> {
    let storeOk = true;
    let migrations: 'ok' | 'pending' | undefined;
    try {
      store.appState.get('configFile');
      const health = await store.health?.();
      if (health) {
        storeOk = health.reachable;
        migrations = health.migrations.current >= health.migrations.latest ? 'ok' : 'pending';
      }
    } catch {
      storeOk = false;
    }
    const checks: Readiness['checks'] = { gateway: lifecycle.accepting ? 'ok' : 'stopped', store: storeOk ? 'ok' : 'unreachable' };
    if (migrations) checks.migrations = migrations;
    if (shared) checks.shared = shared.isUp() ? 'ok' : 'unreachable';
    const status = checks.gateway !== 'ok' || checks.store !== 'ok' || checks.migrations === 'pending' ? 'not_ready' : checks.shared === 'unreachable' ? 'degraded' : 'ready';
    return { status, checks };
  }

  function status(): ProxyStatus {
    const dayStart = new Date();
    dayStart.setHours(0, 0, 0, 0);
    const today = store.history.countSince(dayStart.getTime());
    const port = lifecycle.port;
    return {
      state: lifecycle.state,
      host,
      port,
      baseUrl: port !== null && lifecycle.accepting ? gatewayOrigin(host, port, team?.tls ? 'https' : 'http') : null,
      endpoints: frontDoors.endpoints(),
      error: lifecycle.error,
      startedAt: lifecycle.startedAt,
      requestsToday: today.requests,
      errorsToday: today.errors,
      version,
      dataDir: options.dataDir,
      configFile: store.appState.get('configFile'),
      routing: breakers.health(),
    };
  }

  async function start(): Promise<ProxyStatus> {
    await lifecycle.start();
    return status();
  }

  async function stop(stopOptions: { drainTimeoutMs?: number } = {}): Promise<ProxyStatus> {
    await lifecycle.stop(stopOptions.drainTimeoutMs);
    return status();
  }

  /** After an operation that configures: routing, keys, tokens and settings are read again (and the other instances told). */
  function configurationChanged(): void {
    reloadConfiguration();
    configNotices?.announce();
  }

  function reloadConfiguration(): void {
    router.invalidate();
    keyPool.invalidate();
    tokenCache.clear();
    governance.invalidate();
    readSettings();
    metrics.pricesChanged();
    // A provider deleted, disabled or moved to another address starts with a fresh circuit.
    breakers.reconcile(store.providers.list());
    // Pooled connections through proxies no longer configured are closed.
    http.retainProxies(configuredProxyUrls(store, systemProxy.urls));
  }

  const service = createControlService({
    store,
    providers,
    engine: { status, start, stop: () => stop() },
    upstream: {
      testProvider: (id, keyId) => discovery.testProvider(id, keyId),
      refreshModels: (id) => discovery.refresh(id),
      providerChanged: (id) => {
        configurationChanged();
        void discovery.refresh(id).catch((error: unknown) => logger.warn({ err: error, provider: id }, 'model discovery for a changed provider failed'));
      },
      keyChanged: (keyId) => keyPool.reset(keyId),
    },
    events: { emitStatus: () => emit({ type: 'status', status: status() }) },
    checks: {
      run: () =>
        runChecks({
          store,
          dataDir: options.dataDir,
          status,
          testProvider: (id, keyId) => discovery.testProvider(id, keyId),
          dashboardDir: options.dashboardDir,
        }),
    },
    cache: responseCache,
    governance,
    logs: { read: (query) => logTail.read(query) },
    diagnostics: {
      build: () => {
        recorder.flush();
        return buildDiagnosticsBundle({ store, version, status: status(), checks: () => service.runChecks(), log: logTail.read({ limit: 1000 }) });
      },
    },
  });
  const stopLogEvents = forwardLogEvents({ tail: logTail, events, onError: (error) => logger.warn({ err: error }, 'a log console listener failed') });
  const control = refreshingAfterConfigure(service, configurationChanged, store);
  // Another instance of the team changed the configuration: route with it from the next request.
  const stopRemoteChanges = store.onRemoteChange?.(reloadConfiguration);

  let closed = false;
  return {
    store,
    providers,
    control,
    events,
    logger,
    logTail,
    start,
    stop,
    status,
    flushHistory: () => {
      recorder.flush();
      governance.flush();
    },
    async whenIdle() {
      await Promise.all([keyPool.whenIdle(), discovery.whenIdle()]);
    },
    async close(closeOptions) {
      if (closed) return;
      closed = true;
      await lifecycle.close(closeOptions?.drainTimeoutMs);
      nativeMemory.stop();
      stopRetention();
      stopLogEvents();
      breakers.close();
      recorder.close();
      responseCache.close();
      governance.close();
      await shared?.close();
      await http.close();
      await media.close();
      stopRemoteChanges?.();
      await recorder.settled();
      store.checkpoint();
      await store.close();
    },
  };
}

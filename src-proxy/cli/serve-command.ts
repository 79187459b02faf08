/**
 * `switchboard serve`: the engine headless, on loopback. Makes the store match the config file
 * (declarative, all or nothing, one summary line), creates a client token on first run, prints
 * the base URLs, and stops gracefully on SIGINT / SIGTERM (drain deadline, in-band errors for
 * what is left, history flushed).
 */
import { resolve } from 'node:path';
import { applyConfig } from '../config/apply-config.ts';
import { describeChanges } from '../config/describe-changes.ts';
import { loadConfigFile } from '../config/load-config.ts';
import { configWarnings } from '../config/schema.ts';
import type { ConfigChanges, SwitchboardConfig } from '../domain/config-file.ts';
import { readAdminToken } from '../control/admin-token.ts';
import { createGateway, SWITCHBOARD_VERSION } from '../create-gateway.ts';
import { GatewayError } from '../errors/codes.ts';
import type { Gateway } from '../gateway-types.ts';
import { createLogger, defaultLogFormat, type LogFormat } from '../logging.ts';
import { createLogTail } from '../log-tail.ts';
import { describeFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseFlags, type CliIo } from './cli-io.ts';
import { resolveDataDir } from './data-dir.ts';
import { dashboardExtension, findDashboardDir } from './dashboard.ts';
import { describePortOccupant } from '../net/port-occupant.ts';
import { installShutdownSignals } from './shutdown-signals.ts';
import { endpointUrl, gatewayOrigin } from '../domain/endpoints.ts';
import { createProviderCatalog } from '../providers/registry.ts';
import { isSharedUrl, redactAddress } from '../shared/shared-connection.ts';
import { redactStoreUrl } from '../store/store-url.ts';
import { readTeamStore } from './team-store-flags.ts';
import { teamServingOf } from './team-serving.ts';

const USAGE = `Usage: switchboard serve [--port PORT] [--host 127.0.0.1] [--data-dir DIR] [--config FILE] [--shared URL] [--store URL] [--secret-key-file FILE] [--no-dashboard] [--log-format pretty|json]
                        [--tls-cert FILE --tls-key FILE] [--trust-proxy VALUE]

  --port PORT         Port to listen on (default: the config's or saved setting, 11434 at first). 0 picks a free port.
  --host HOST         127.0.0.1 (default) or ::1. Any other address (0.0.0.0) only for a team server (shared store).
  --data-dir DIR      Folder of switchboard.db (default: SWITCHBOARD_DATA_DIR or the app-data folder).
  --config FILE       JSON or YAML config. At each start the providers, aliases, clients and keys it
                      declares are made to match it (added, changed, removed); what you create in the
                      dashboard is left alone.
  --shared URL        redis://host:6379 (Redis or Valkey; also SWITCHBOARD_SHARED): instances given the same
                      server share client limits and budgets. While it is unreachable each instance
                      applies limits on its own and logs so; sharing resumes when it returns.
  --store URL         postgres://user:password@host:5432/db (also SWITCHBOARD_STORE): the team store that
                      several instances share (team mode) instead of switchboard.db in the data folder.
  --secret-key-file F The team secret key (64 hex characters; also SWITCHBOARD_SECRET_KEY) that encrypts
                      provider keys in the team store. Every instance of the team needs the same key.
  --no-dashboard      Do not serve the dashboard and its control API.
  --log-format F      pretty (default on a terminal) or json (default otherwise).
  --tls-cert FILE     Team server: serve HTTPS with this certificate (PEM) and --tls-key FILE (its key, PEM).
  --trust-proxy V     Team server behind a load balancer: whose X-Forwarded-For/-Proto to believe: true,
                      a number of hops, or addresses like 10.0.0.0/8 (default: settings.trustProxy, false).`;

export interface ServeHandle {
  gateway: Gateway;
  /** Resolves with the exit code once the server stopped. */
  done: Promise<number>;
  shutdown(): Promise<void>;
}

export async function runServeCommand(args: string[], io: CliIo, options: { installSignalHandlers?: boolean } = {}): Promise<ServeHandle | number> {
  const parsed = parseFlags(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      shared: { type: 'string' },
      store: { type: 'string' },
      'secret-key-file': { type: 'string' },
      'no-dashboard': { type: 'boolean' },
      'log-format': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if ('error' in parsed) {
    io.stderr.write(`switchboard serve: ${parsed.error}`);
    return EXIT_USAGE;
  }
  const flags = parsed.values;
  if (flags.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  let port: number | undefined;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`switchboard serve: --port must be a number from 0 to 65535, not "${flags.port}"\n`);
      return EXIT_USAGE;
    }
  }

  const sharedUrl = flags.shared ?? (io.env.SWITCHBOARD_SHARED || undefined);
  if (sharedUrl !== undefined && !isSharedUrl(sharedUrl)) {
    io.stderr.write(`switchboard serve: --shared must be a Redis or Valkey address like redis://host:6379, not "${redactAddress(sharedUrl)}"\n`);
    return EXIT_USAGE;
  }

  const storeUrl = flags.store ?? (io.env.SWITCHBOARD_STORE || undefined);
  const team = readTeamStore(storeUrl, flags['secret-key-file'], io, 'serve');
  if (typeof team === 'number') return team;
  // Team mode is serve on the team store (isTeamStore): only then beyond loopback, TLS, trusted proxies.
  const listen = teamServingOf(flags, team !== null);
  if ('error' in listen) {
    io.stderr.write(`switchboard serve: ${listen.error}\n`);
    return EXIT_USAGE;
  }
  const host = listen.host;

  const logFormat = flags['log-format'] ?? defaultLogFormat();
  if (logFormat !== 'pretty' && logFormat !== 'json') {
    io.stderr.write(`switchboard serve: --log-format must be "pretty" or "json", not "${logFormat}"\n`);
    return EXIT_USAGE;
  }

  const providers = createProviderCatalog();
  let config: SwitchboardConfig | null = null;
  if (flags.config) {
    try {
      config = loadConfigFile(flags.config, io.env, providers);
    } catch (error) {
      io.stderr.write(`switchboard serve: ${describeFailure(error)}\n`);
      return EXIT_FAILURE;
    }
    for (const warning of configWarnings(config)) io.stderr.write(`switchboard serve: warning: ${warning}\n`);
  }

  const dataDir = resolveDataDir({ flag: flags['data-dir'], env: io.env });
  const configFile = flags.config ? resolve(flags.config) : null;
  // The config's port is used for this run and saved only once the start worked (a port that
  // fails must not become the saved one). --port wins over it for this run.
  const { port: configPort, ...configSettings } = config?.settings ?? {};
  const runPort = port ?? configPort;
  const dashboardDir = flags['no-dashboard'] ? undefined : findDashboardDir();
  let gateway: Gateway;
  try {
    let adminToken: () => string = () => '';
    const logTail = createLogTail();
    gateway = await createGateway({
      dataDir,
      // HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply only with settings.useSystemProxy set to true (off by default here).
      env: io.env,
      host,
      port: runPort,
      providers,
      keepListenerWhenStopped: true,
      shared: sharedUrl,
      store: team?.url,
      secretKey: team?.secretKey,
      team: listen.serving,
      logger: createLogger({ format: logFormat as LogFormat, tail: logTail }),
      logTail,
      dashboardDir,
      extendServer: dashboardDir === undefined ? undefined : await dashboardExtension(() => adminToken(), dashboardDir),
    });
    const store = gateway.store;
    adminToken = () => readAdminToken(store);
  } catch (error) {
    io.stderr.write(`switchboard serve: ${describeFailure(error)}\n`);
    return EXIT_FAILURE;
  }

  // Before anything is printed: a signal sent as soon as the address appears must drain, not kill.
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    io.stdout.write('Stopping Switchboard: letting running requests finish…\n');
    try {
      await gateway.close();
      io.stdout.write('Stopped.\n');
      resolveDone(EXIT_OK);
    } catch (error) {
      io.stderr.write(`switchboard serve: ${describeFailure(error)}\n`);
      resolveDone(EXIT_FAILURE);
    }
  };
  if (options.installSignalHandlers) {
    installShutdownSignals({
      shutdown: () => void shutdown(),
      forceExit: () => {
        io.stderr.write('Second Ctrl-C: exiting now, without waiting for running requests.\n');
        process.exit(EXIT_FAILURE);
      },
    });
  }
  try {
    let changes: ConfigChanges | null = null;
    if (config && configFile) {
      changes = applyConfig(gateway.store, { ...config, settings: configSettings }, { mode: 'declarative', file: configFile, providers: gateway.providers });
      io.stdout.write(`Config ${flags.config}: ${describeChanges(changes)}\n`);
    }
    let firstToken: string | null = null;
    // Once per store: instances of a team starting together must not each create one (and the
    // second "default" would clash with the first's name on PostgreSQL).
    const store = gateway.store;
    const once = <T>(name: string, fn: () => Promise<T>) => (store.exclusive ? store.exclusive(name, fn) : fn());
    firstToken = await once('first-client-token', async () => (store.clientTokens.isEmpty() ? (await gateway.control.createClientToken({ name: 'default' })).token : null));
    const status = await gateway.start();
    if (configPort !== undefined && port === undefined && gateway.store.settings.get().port !== configPort) {
      gateway.store.settings.update({ port: configPort });
    }
    const base = status.baseUrl ?? gatewayOrigin(host, status.port ?? 0);
    // Labels padded to one column: "  OpenAI base URL:    http://…", then the dashboard and data folder.
    const lines: Array<[string, string]> = [
      ...status.endpoints.map((endpoint): [string, string] => [`${endpoint.label} base URL:`, endpointUrl(base, endpoint)]),
      ...(dashboardDir === undefined ? [] : [['Dashboard:', `${base}/_switchboard/#token=${readAdminToken(gateway.store)}`] as [string, string]]),
      ...(team ? [['Store:', redactStoreUrl(team.url)] as [string, string]] : []),
      ['Data folder:', dataDir],
    ];
    const width = Math.max(...lines.map(([label]) => label.length)) + 1;
    io.stdout.write(
      [
        `Switchboard ${SWITCHBOARD_VERSION} listening on ${base}`,
        ...lines.map(([label, value]) => `  ${label.padEnd(width)}${value}`),
        ...(firstToken ? [`Client token (first run; use it as the API key in your tools, shown once): ${firstToken}`] : []),
        ...(changes?.createdTokens ?? []).map(({ name, token }) => `Client token for "${name}" (created from the config file, shown once): ${token}`),
        '',
      ].join('\n'),
    );
  } catch (error) {
    const message = describeFailure(error);
    let hint = '';
    if (error instanceof GatewayError && error.code === 'port_in_use') {
      const occupied = runPort ?? gateway.store.settings.get().port;
      hint = await describePortOccupant(host, occupied);
    }
    io.stderr.write(`switchboard serve: ${message}${hint ? `\n${hint}` : ''}\n`);
    await gateway.close().catch(() => undefined);
    return EXIT_FAILURE;
  }

  return { gateway, done, shutdown };
}


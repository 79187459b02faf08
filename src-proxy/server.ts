/**
 * The HTTP server: Fastify on loopback with the security gate, every dialect's routes, health,
 * and errors rendered in the caller's dialect. Per-request logging stays off the hot path.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { lazyRequestLogger } from './http/request-logger.ts';
import type { DialectContext } from './http/dialect-context.ts';
import type { RouteConfig } from './http/route-config.ts';
import type { FrontDoors } from './dialects/registry.ts';
import { GatewayError } from './errors/codes.ts';
import { registerSecurityHooks, type SecurityDeps } from './http/security-gate.ts';
import { keepRawBody } from './http/raw-body.ts';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './security/json-depth.ts';
import { parseJsonBody } from './security/json-body.ts';
import { registerMetricsRoute, type MetricsEndpoint } from './metrics/metrics-route.ts';

export interface Readiness {
  status: 'ready' | 'degraded' | 'not_ready';
  checks: Record<string, 'ok' | 'unreachable' | 'stopped' | 'pending'>;
}

export interface HttpServerDeps {
  logger: Logger;
  bodyLimitBytes: number;
  security: SecurityDeps;
  /** The front doors to serve, and what their routes can use. */
  frontDoors: FrontDoors;
  dialects: DialectContext;
  version: string;
  startedAt: () => number | null;
  /** Extra registrations (the dashboard's control routes). */
  extend?: (app: FastifyInstance) => void;
  /** GET /metrics (answers 404 while metrics are off). */
  metrics: MetricsEndpoint;
  /** A request refused before any front door read it (gate, body parsing, unknown path). */
  onRefused?: (code: string) => void;
  /**
   * GET /ready for load balancers: 200 while this instance can serve (`ready`, or `degraded` when
   * only the shared server is away: it still serves, with per-instance limits), 503 when not
   * (stopped, or the store fails); each check's state beside.
   */
  readiness?: () => Readiness | Promise<Readiness>;
  /** Team mode: serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** Team mode behind a load balancer: whose X-Forwarded-* headers to believe (Fastify's trustProxy). */
  trustProxy?: boolean | number | string;
}

function toGatewayError(error: FastifyError | Error): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new GatewayError('body_too_large');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return new GatewayError('unsupported_media_type');
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new GatewayError('invalid_json', 'The body is empty');
  if ((error as FastifyError).statusCode === 400 || error instanceof SyntaxError) return new GatewayError('invalid_json', error.message);
  return new GatewayError('internal_error', undefined, { cause: error });
}

function dialectOf(doors: FrontDoors, request: FastifyRequest) {
  const config = request.routeOptions?.config as Partial<RouteConfig> | undefined;
  return config?.dialect ? doors.byName(config.dialect) : doors.forPath(request.url);
}

/**
 * Fastify's own info lines ("Server listening at …") repeat what the host prints in its banner
 * (and were the one JSON line in it): at info, Fastify gets a logger that starts at warn.
 * Debug and trace still see everything.
 */
function fastifyLogger(logger: Logger): Logger {
  return logger.levelVal >= 30 && logger.levelVal < 40 ? logger.child({}, { level: 'warn' }) : logger;
}

function noFastifySchemas(): never {
  throw new Error('Fastify route schemas are not compiled here: validate the body with wire/body-schema.ts');
}

/** A number of hops as Fastify's hop function (its types take only booleans, lists and functions). */
function trustProxyOption(trust: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export function createHttpServer(deps: HttpServerDeps): FastifyInstance {
  // TLS and trustProxy only when a team server asks for them: the default server is unchanged.
  const team = { ...(deps.tls ? { https: { cert: deps.tls.cert, key: deps.tls.key } } : {}), ...(deps.trustProxy ? { trustProxy: trustProxyOption(deps.trustProxy) } : {}) };
  const app = Fastify({
    ...team,
    loggerInstance: fastifyLogger(deps.logger) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made on first use: most requests never log (http/request-logger.ts).
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: deps.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Receiving the request (not the long answer) must not take forever.
    requestTimeout: 120_000,
    // Model ids contain slashes and colons; keep them in one path segment where routes expect it.
    routerOptions: { maxParamLength: 500 },
    // Bodies are checked by each route's own schema (wire/body-schema.ts), never by Fastify's:
    // without these, Fastify loads Ajv and fast-json-stringify (~110 modules, several MB and a
    // good part of `serve`'s start) that nothing would use. A route given a Fastify schema fails
    // at start, loudly, instead of going unchecked.
    schemaController: { compilersFactory: { buildValidator: noFastifySchemas, buildSerializer: noFastifySchemas } },
  }) as unknown as FastifyInstance;
  // Only JSON bodies: a web page can send text/plain without a preflight.
  app.removeContentTypeParser('text/plain');
  // JSON nested past MAX_JSON_DEPTH is refused before it is parsed (security/json-depth.ts). The
  // body is read as bytes and kept (http/raw-body.ts: the fast path forwards them), decoded once,
  // and parsed by parseJsonBody (Fastify's own parser where the text needs its checks).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const text = bytes.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new GatewayError('invalid_json', `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep`), undefined);
      return;
    }
    keepRawBody(request, bytes);
    parseJsonBody(text, (fallback) => parseJson(request, fallback, done), done);
  });

  registerSecurityHooks(app, deps.security);

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const gatewayError = toGatewayError(error);
    if (gatewayError.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
    else deps.onRefused?.(gatewayError.code);
    if (gatewayError.code === 'body_too_large') {
      // Answer while the client may still be uploading, read the rest of its body and discard
      // it, and keep the connection: closing it with unread bytes would reset it (RST), and a
      // client that reads only after writing everything would see the reset, not the 413.
      // The request timeout still bounds a body that never ends.
      reply.removeHeader('connection');
      request.raw.resume();
    }
    const rendered = dialectOf(deps.frontDoors, request).renderError(gatewayError);
    void reply.code(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
  });
  app.setNotFoundHandler((request, reply) => {
    deps.onRefused?.('not_found');
    const rendered = deps.frontDoors.forPath(request.url).renderError(new GatewayError('not_found', `${request.method} ${request.url.split('?', 1)[0]} is not an endpoint`));
    void reply.code(rendered.status).send(rendered.body);
  });

  app.get('/health', { config: { dialect: deps.frontDoors.byName(undefined).name, auth: 'none', surface: 'health' } satisfies RouteConfig }, async () => ({
    status: 'ok',
    // How another process (a second `serve`, doctor, the desktop's port check) tells this is a
    // Switchboard and not the Ollama its /api/version imitates.
    service: 'switchboard',
    version: deps.version,
    uptimeMs: deps.startedAt() ? Date.now() - deps.startedAt()! : 0,
  }));

  app.get('/ready', { config: { dialect: deps.frontDoors.byName(undefined).name, auth: 'none', surface: 'health' } satisfies RouteConfig }, async (_request, reply) => {
    const state = (await deps.readiness?.()) ?? { status: 'ready', checks: {} };
    void reply.code(state.status === 'not_ready' ? 503 : 200);
    return state;
  });

  const fallback = deps.frontDoors.byName(undefined);
  registerMetricsRoute(app, deps.metrics, { dialect: fallback.name, renderError: (error) => fallback.renderError(error) });
  for (const door of deps.frontDoors.all) door.register(app, deps.dialects);
  deps.extend?.(app);
  return app;
}

/**
 * The control API over HTTP, for the headless dashboard (`switchboard serve`).
 *
 * Threat model: this listener is on 127.0.0.1, but any web page in the user's browser and any
 * local program can send it requests. Everything under /_switchboard/api and /_switchboard/events
 * can read and change the configuration, so each request must carry the admin token (printed at
 * start in a URL fragment, kept by the page in sessionStorage) in the `x-switchboard-admin` header.
 * A header, not a cookie or a query parameter: a cross-site page cannot set it without a CORS
 * preflight we never answer, and it never lands in logs or the history. The Host allow-list
 * (DNS rebinding), the same-origin Origin check and the JSON-only rule run in the global
 * security hook, which reads `config.surface === 'control'` on these routes.
 *
 * The static dashboard (index.html + hashed assets) is public: it holds no secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { GatewayError, issuesOf, toGatewayError, type ErrorIssue } from '../errors/codes.ts';
import {
  isControlOperation,
  parseControlRequest,
  type ControlApi,
  type ControlEvent,
  type ControlEventSource,
  type ControlOperationName,
  type SignedIn,
} from './contract.ts';

export const CONTROL_HTTP_PREFIX = '/_switchboard';
export const ADMIN_TOKEN_HEADER = 'x-switchboard-admin';
const PING_INTERVAL_MS = 15_000;

export interface ControlHttpDeps {
  control: ControlApi;
  events: ControlEventSource;
  /** The current admin token (read at each request: it can be rotated while the server runs). */
  adminToken: () => string;
  /** The built dashboard (dist/renderer); null when not built. */
  staticDir: string | null;
  /** Keep-alive comment interval of the event stream (tests shorten it). */
  pingIntervalMs?: number;
}

const ROUTE_CONFIG = { surface: 'control' } as const;

/** CSP of the dashboard; frame-ancestors only works as a header, not in the page's meta tag. */
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>Switchboard is running</h1><p><strong>The dashboard is not built.</strong> Run <code>npm run build:renderer</code> (or start with <code>npm run serve</code>, which builds it), then reload this page.</p>
<p>The gateway itself works without the dashboard.</p></body></html>`;

/** Constant-time comparison that does not throw (or leak the length) when lengths differ. */
export function adminTokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0 || expected.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function sendError(reply: FastifyReply, error: GatewayError, issues: ErrorIssue[] | undefined = issuesOf(error)) {
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .send({ ok: false, error: { code: error.code, message: error.message, ...(issues ? { issues } : {}) } });
}

function securityHeaders(reply: FastifyReply) {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

/** Registers the dashboard, the control API and the event stream under /_switchboard/. */
export function registerControlHttp(app: FastifyInstance, deps: ControlHttpDeps): void {
  const staticRoot = deps.staticDir ? resolve(deps.staticDir) : null;
  const openStreams = new Set<() => void>();

  /** Who sent the request (null: no valid credential). One admin token today, so one name. */
  const callerOf = (request: FastifyRequest): SignedIn | null =>
    adminTokenMatches(deps.adminToken(), request.headers[ADMIN_TOKEN_HEADER]) ? { name: 'admin', via: 'admin-token' } : null;
  const authorized = (request: FastifyRequest) => callerOf(request) !== null;

  // --- who is signed in (the dashboard's header; sign-out forgets the token in the page) --------
  app.get(`${CONTROL_HTTP_PREFIX}/session`, { config: ROUTE_CONFIG }, async (request, reply) => {
    const caller = callerOf(request);
    if (!caller) return sendError(reply, new GatewayError('invalid_admin_token'));
    return reply.header('cache-control', 'no-store').send({ ok: true, result: caller });
  });

  // --- control API -------------------------------------------------------------------------
  app.post<{ Params: { operation: string } }>(`${CONTROL_HTTP_PREFIX}/api/:operation`, { config: ROUTE_CONFIG }, async (request, reply) => {
    if (!authorized(request)) return sendError(reply, new GatewayError('invalid_admin_token'));
    const { operation } = request.params;
    if (!isControlOperation(operation)) {
      return sendError(reply, new GatewayError('not_found', `There is no control operation "${operation}"`));
    }
    let payload: unknown;
    try {
      payload = parseControlRequest(operation, request.body ?? {});
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
      const detail = issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
      return sendError(reply, new GatewayError('invalid_request', detail), issues);
    }
    try {
      const method = deps.control[operation as ControlOperationName] as (request: unknown) => Promise<unknown>;
      const result = await method.call(deps.control, payload);
      return reply.header('cache-control', 'no-store').send({ ok: true, result: result ?? null });
    } catch (error) {
      const gatewayError = toGatewayError(error);
      if (gatewayError.code === 'internal_error') request.log.error({ err: error, operation }, 'control operation failed');
      return sendError(reply, gatewayError);
    }
  });

  // --- live events (SSE) -------------------------------------------------------------------
  app.get(`${CONTROL_HTTP_PREFIX}/events`, { config: ROUTE_CONFIG }, async (request, reply) => {
    if (!authorized(request)) return sendError(reply, new GatewayError('invalid_admin_token'));
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: ControlEvent) => raw.write(`data: ${JSON.stringify(event)}\n\n`);
    raw.write(': connected\n\n');
    const unsubscribe = deps.events.subscribe(send);
    const ping = setInterval(() => raw.write(': ping\n\n'), deps.pingIntervalMs ?? PING_INTERVAL_MS);
    const close = () => {
      clearInterval(ping);
      unsubscribe();
      openStreams.delete(close);
      if (!raw.writableEnded) raw.end();
    };
    openStreams.add(close);
    request.raw.on('close', close);
    raw.on('close', close);
    // The current status first, so a page that reconnects after a gap is in sync at once.
    try {
      send({ type: 'status', status: await deps.control.getStatus() });
    } catch (error) {
      request.log.warn({ err: error }, 'could not send the initial status event');
    }
  });

  // SSE streams are never idle, so they would hold app.close() open; end them first.
  app.addHook('preClose', async () => {
    for (const close of [...openStreams]) close();
  });

  // --- the dashboard -----------------------------------------------------------------------
  app.get(CONTROL_HTTP_PREFIX, { config: ROUTE_CONFIG }, async (_request, reply) => reply.redirect(`${CONTROL_HTTP_PREFIX}/`));

  const serveIndex = async (reply: FastifyReply) => {
    securityHeaders(reply).header('cache-control', 'no-store');
    const html = staticRoot ? await readFile(resolve(staticRoot, 'index.html'), 'utf8').catch(() => null) : null;
    if (html === null) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return reply.type('text/html; charset=utf-8').send(html);
  };

  app.get(`${CONTROL_HTTP_PREFIX}/`, { config: ROUTE_CONFIG }, async (_request, reply) => serveIndex(reply));

  app.get<{ Params: { '*': string } }>(`${CONTROL_HTTP_PREFIX}/*`, { config: ROUTE_CONFIG }, async (request, reply) => {
    const relative = request.params['*'];
    if (relative === '' || relative === 'index.html') return serveIndex(reply);
    const file = staticRoot ? resolveStaticFile(staticRoot, relative) : null;
    const info = file ? await stat(file).catch(() => null) : null;
    if (!file || !info?.isFile()) return sendError(reply, new GatewayError('not_found', `No dashboard file "${relative.slice(0, 200)}"`));
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Vite names assets by content hash, so they never change; anything else is revalidated.
    const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return securityHeaders(reply).header('cache-control', cache).type(type).send(await readFile(file));
  });
}

/** The absolute file for a request path, or null when it would leave the static root. */
export function resolveStaticFile(root: string, relative: string): string | null {
  if (relative.includes('\0')) return null;
  const file = resolve(root, `.${sep}${relative}`);
  return file.startsWith(root + sep) ? file : null;
}

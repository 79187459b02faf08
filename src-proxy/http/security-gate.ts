/**
 * The gate every request passes before any handler: Host allow-list, browser policy, JSON-only
 * bodies, client token. Runs on every route, matched or not, so a rebound page learns nothing.
 *
 * Threat model (docs/architecture.md, "Security, in one paragraph"): a web page in any browser on this
 * machine (CSRF, DNS rebinding), other local clients without a token, and malformed headers.
 * The listener itself is loopback-only (checked at start).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClientTokenInfo } from '../domain/client-token.ts';
import type { Settings } from '../domain/settings.ts';
import type { RouteConfig } from './route-config.ts';
import { GatewayError } from '../errors/codes.ts';
import type { ClientTokenRepository } from '../store/types.ts';
import { isBrowserRequestAllowed } from '../security/browser-policy.ts';
import { hasBody, isJsonContentType } from '../security/content-type.ts';
import { allowedHosts, isAllowedHost, isPublicHost } from '../security/host-allowlist.ts';
import { identifyClient } from './client-identity.ts';
import type { RecordRefusal } from './refusal-rows.ts';

export interface SecurityDeps {
  port: () => number;
  settings: () => Settings;
  clientTokens: ClientTokenRepository;
  /** Cached verification (see token-cache.ts). */
  verifyToken: (presented: string) => ClientTokenInfo | null;
  /** False while the proxy is "stopped" but the listener stays for the dashboard. */
  gatewayEnabled: () => boolean;
  /** The token a request presents, read where the route's front door says its clients put it. */
  clientToken: (request: FastifyRequest, dialect: string) => string | null;
  /** A refusal of a gateway route by these checks, for the history (refusal-rows.ts). */
  recordRefusal?: RecordRefusal;
  /**
   * Team mode (a team server, reachable beyond loopback): every gateway route needs a valid client
   * token (no tokenless lane, `requireClientToken` cannot turn it off), the Host may also be one
   * of `settings.publicHosts`, and the page origin follows the request's scheme (TLS, or the
   * trusted proxy's X-Forwarded-Proto).
   */
  team?: boolean;
}

const TEAM_FORBIDDEN_HOST =
  "The Host header names neither this team server's public names nor a loopback address. Add the name clients use to settings.publicHosts (the config file's `settings: { publicHosts: [switchboard.example.com] }` or the dashboard).";
const TEAM_MISSING_TOKEN = 'This team server needs a Switchboard client token on every route (Authorization: Bearer …, x-api-key, or where your tool puts its API key). Ask the team server\'s admin for one.';

const TOKEN_TOUCH_INTERVAL_MS = 10_000;

/**
 * VS Code Copilot's Ollama provider discovers models through /api/* and then chats through
 * /v1/chat/completions with an empty `Authorization: Bearer` — it has nowhere to put a key. Its
 * token-less OpenAI chat is let through like the Ollama routes it came from (same exposure: any
 * local program can already use /api/chat); every other check still applies, and a client that
 * presents a wrong token is still refused.
 */
function isKeylessOllamaClient(request: FastifyRequest): boolean {
  const agent = request.headers['user-agent'];
  return typeof agent === 'string' && agent.startsWith('GitHubCopilotChat/') && request.url.startsWith('/v1/chat/completions');
}

export function registerSecurityHooks(app: FastifyInstance, deps: SecurityDeps): void {
  let hostsFor = -1;
  let hosts = allowedHosts(0);
  const team = deps.team === true;
  let publicFor: readonly string[] | null = null;
  let publicNames: ReadonlySet<string> = new Set();
  const lastTouch = new Map<string, number>();

  // A callback hook, not an async one: no promise per request on the hot path.
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    try {
      gate(request);
    } catch (error) {
      const config = (request.routeOptions.config ?? {}) as Partial<RouteConfig>;
      // Who knocks on the gateway's doors without the right to is visible in the history.
      if (error instanceof GatewayError && config.surface === 'gateway' && config.dialect !== undefined) deps.recordRefusal?.(request, config.dialect, error);
      done(error as Error);
      return;
    }
    done();
  });

  function gate(request: FastifyRequest): void {
    const port = deps.port();
    if (port !== hostsFor) {
      hosts = allowedHosts(port);
      hostsFor = port;
    }
    const host = request.headers.host;
    const settings = deps.settings();
    if (!isAllowedHost(host, hosts)) {
      if (!team) throw new GatewayError('forbidden_host');
      if (settings.publicHosts !== publicFor) {
        publicFor = settings.publicHosts;
        publicNames = new Set(settings.publicHosts);
      }
      if (!isPublicHost(host, publicNames)) throw new GatewayError('forbidden_host', TEAM_FORBIDDEN_HOST);
    }

    const config = (request.routeOptions.config ?? {}) as Partial<RouteConfig>;
    const origin = request.headers.origin;
    const secFetchSite = request.headers['sec-fetch-site'];
    if (
      !isBrowserRequestAllowed({
        origin: typeof origin === 'string' ? origin : undefined,
        secFetchSite: typeof secFetchSite === 'string' ? secFetchSite : undefined,
        allowedOrigins: settings.allowedOrigins,
        // The Host check above guarantees this is our own origin: only pages Switchboard serves
        // itself (the dashboard's "try it" and tool checks) can carry it; a rebound page cannot.
        sameOrigin: `${team ? request.protocol : 'http'}://${host}`,
      })
    ) {
      throw new GatewayError('forbidden_origin');
    }

    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS' && hasBody(request.headers)) {
      if (!isJsonContentType(request.headers['content-type'])) throw new GatewayError('unsupported_media_type');
    }

    if (config.surface === 'gateway' && !deps.gatewayEnabled()) {
      throw new GatewayError('proxy_stopped');
    }

    if (team && config.surface === 'gateway') {
      const token = config.dialect === undefined ? null : deps.clientToken(request, config.dialect);
      const info = token ? deps.verifyToken(token) : null;
      if (!info) throw token ? new GatewayError('invalid_client_token') : new GatewayError('missing_client_token', TEAM_MISSING_TOKEN);
      identify(request, info);
    } else if (config.auth === 'client-token') {
      const token = config.dialect === undefined ? null : deps.clientToken(request, config.dialect);
      const info = token ? deps.verifyToken(token) : null;
      if (settings.requireClientToken && !info && !(token === null && isKeylessOllamaClient(request))) {
        throw new GatewayError(token ? 'invalid_client_token' : 'missing_client_token');
      }
      if (info) identify(request, info);
    } else if (config.surface === 'gateway' && config.dialect !== undefined) {
      // Token-less doors (Ollama) take a token when a client sends one (where the door says its
      // clients put it): a valid token makes the caller that client (its limits, its allowed
      // models); no token or an unknown one leaves it in the tokenless lane, as before.
      const token = deps.clientToken(request, config.dialect);
      const info = token ? deps.verifyToken(token) : null;
      if (info) identify(request, info);
    }
  }

  function identify(request: FastifyRequest, info: ClientTokenInfo): void {
    identifyClient(request, info);
    const now = Date.now();
    if (now - (lastTouch.get(info.id) ?? 0) >= TOKEN_TOUCH_INTERVAL_MS) {
      lastTouch.set(info.id, now);
      deps.clientTokens.touch(info.id, now);
    }
  }
}

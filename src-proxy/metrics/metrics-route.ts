/**
 * GET /metrics on the gateway's listener. Off (404, saying where to turn it on) until
 * settings.metrics.enabled; then answered only to `Authorization: Bearer <token>` where the
 * token is the metrics token or the dashboard's admin token, compared in constant time. The
 * security gate (Host, Origin) runs first like on every route.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/codes.ts';
import type { ErrorResponse, RouteConfig } from '../http/route-config.ts';

export interface MetricsEndpoint {
  enabled(): boolean;
  /** The tokens that may read the metrics now (metrics token, admin token), without nulls. */
  tokens(): string[];
  render(): Promise<{ contentType: string; body: string }>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time: compares digests, so neither the length nor a prefix leaks. */
export function bearerMatches(header: unknown, tokens: readonly string[]): boolean {
  if (typeof header !== 'string' || !header.toLowerCase().startsWith('bearer ')) return false;
  const presented = digest(header.slice(7).trim());
  let matched = false;
  for (const token of tokens) matched = timingSafeEqual(presented, digest(token)) || matched;
  return matched;
}

export function registerMetricsRoute(app: FastifyInstance, endpoint: MetricsEndpoint, options: { dialect: string; renderError: (error: GatewayError) => ErrorResponse }): void {
  const config: RouteConfig = { dialect: options.dialect, auth: 'none', surface: 'health' };
  app.get('/metrics', { config }, async (request, reply) => {
    let error: GatewayError | null = null;
    if (!endpoint.enabled()) error = new GatewayError('not_found', 'GET /metrics is off: turn metrics on in Switchboard → Settings → Metrics');
    else if (!bearerMatches(request.headers.authorization, endpoint.tokens())) error = new GatewayError('invalid_metrics_token');
    if (error) {
      const rendered = options.renderError(error);
      return reply.code(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
    }
    const { contentType, body } = await endpoint.render();
    return reply.code(200).header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}

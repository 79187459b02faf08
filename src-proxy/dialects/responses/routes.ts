/**
 * The Responses dialect's routes: create a response, read or delete a kept one. Every route
 * needs a client token (Codex sends it as the bearer key of its model provider).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/codes.ts';
import { clientKeyOf } from '../../http/client-identity.ts';
import { respondError } from '../../http/respond-error.ts';
import { validBody } from '../../wire/body-schema.ts';
import { RESPONSES_SCHEMA } from './request-schema.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import type { RouteConfig } from '../../http/route-config.ts';
import { createResponse } from './create-response.ts';
import { renderResponsesError, RESPONSES_ERROR_SHAPE } from './errors.ts';
import { startResponseRetention } from './retention.ts';

const config: RouteConfig = { dialect: 'responses', auth: 'client-token', surface: 'gateway' };

function notFound(reply: FastifyReply, id: string) {
  const rendered = renderResponsesError(new GatewayError('response_not_found', `No kept response has the id "${id}"`, { param: 'response_id' }));
  return reply.code(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
}

export function registerResponsesRoutes(app: FastifyInstance, context: DialectContext): void {
  app.post('/v1/responses', { config }, async (request: FastifyRequest, reply: FastifyReply) => {
    const exchange = context.exchange(request, reply, 'responses', '/v1/responses');
    try {
      await createResponse(context, exchange, validBody(request.body, RESPONSES_SCHEMA));
    } catch (error) {
      await respondError(exchange, error, renderResponsesError, RESPONSES_ERROR_SHAPE);
    }
  });

  app.get('/v1/responses/:id', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const kept = await context.store.responses.get(id, clientKeyOf(request));
    return kept ? reply.send(kept.response) : notFound(reply, id);
  });

  app.delete('/v1/responses/:id', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return (await context.store.responses.delete(id, clientKeyOf(request))) ? reply.send({ id, object: 'response', deleted: true }) : notFound(reply, id);
  });

  const stopRetention = startResponseRetention(context);
  app.addHook('onClose', async () => stopRetention());
}

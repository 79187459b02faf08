/**
 * The Anthropic dialect's routes: POST /v1/messages and /v1/messages/count_tokens (Claude Code
 * appends `?beta=true`: routes match on the path, the query is ignored). The client token comes
 * as `x-api-key` or `Authorization: Bearer` (the security hook takes both; upstream headers are
 * built from scratch, so neither is forwarded). GET /v1/models is shared with the OpenAI dialect,
 * which answers in this dialect's shape when the request carries `anthropic-version`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectResponse } from '../../canonical/accumulator.ts';
import { makeId } from '../../canonical/ids.ts';
import type { Exchange } from '../../http/exchange.ts';
import { dropRequestBody, ForwardedBody } from '../../http/forwarded-body.ts';
import { respondError } from '../../http/respond-error.ts';
import { rawBodyOf } from '../../http/raw-body.ts';
import { routeCall, routeChat } from '../../http/route-chat.ts';
import { sendCanonicalJson, sendCanonicalStream } from '../../http/send-stream.ts';
import { validBody, type BodySchema } from '../../wire/body-schema.ts';
import { asArray, requireString } from '../../wire/validate.ts';
import { COUNT_TOKENS_SCHEMA, MESSAGES_SCHEMA } from './request-schema.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import type { RouteConfig } from '../../http/route-config.ts';
import { estimateInputTokens } from '../../canonical/estimate-tokens.ts';
import { renderAnthropicError, ANTHROPIC_ERROR_SHAPE } from './errors.ts';
import { parseAnthropicRequest } from './parse-request.ts';
import { readAnthropicAnswer, sendAnthropicPassthroughJson, sendAnthropicPassthroughStream } from './passthrough.ts';
import { renderAnthropicMessage } from './render-message.ts';
import { createAnthropicStreamEncoder } from './render-stream.ts';
import { estimateRequestTokens } from '../../http/admit-call.ts';
import { anthropicConversationPeek } from './conversation-peek.ts';

const config: RouteConfig = { dialect: 'anthropic', auth: 'client-token', surface: 'gateway' };

/**
 * Reads what the call needs from the body, then hands over to sendMessages, which never sees the
 * tree: an async function keeps its parameters and locals through every await, and the parsed
 * conversation is let go once the forwarded bytes are built (http/forwarded-body.ts).
 */
function handleMessages(context: DialectContext, exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = requireString(body.model, 'model');
  // Checked here too so the fast path gives the same clear 400 as the translated one.
  asArray(body.messages, 'messages');
  const stream = body.stream === true;
  exchange.stream = stream;
  // The client's own bytes go along: the provider splices in only what it changes (wire/json-splice.ts).
  const raw = rawBodyOf(exchange.request);
  const native = new ForwardedBody('anthropic.messages', body, stream, raw);
  if (raw !== undefined) dropRequestBody(exchange.request);
  return sendMessages(context, exchange, {
    model,
    native,
    toCanonical: () => parseAnthropicRequest(native.body),
    peek: anthropicConversationPeek(native),
    readAnswer: readAnthropicAnswer,
  });
}

async function sendMessages(context: DialectContext, exchange: Exchange, options: Parameters<typeof routeChat>[2]): Promise<void> {
  const { stream } = exchange;
  const outcome = await routeChat(context, exchange, options);
  const settings = context.settings();
  if (outcome.kind === 'native') {
    if (stream) await sendAnthropicPassthroughStream(exchange, outcome.native, { pingIntervalMs: settings.pingIntervalMs });
    else await sendAnthropicPassthroughJson(exchange, outcome.native, { countTokens: false });
    return;
  }
  const meta = { id: makeId('msg_'), model: outcome.target.model };
  if (stream) {
    await sendCanonicalStream(exchange, outcome.stream.events, createAnthropicStreamEncoder({ id: meta.id, model: meta.model, estimatedInputTokens: estimateRequestTokens(exchange.request) }), { pingIntervalMs: settings.pingIntervalMs, dispose: outcome.stream.dispose });
    return;
  }
  await sendCanonicalJson(exchange, outcome.stream, {
    collect: (events) => collectResponse(events, meta),
    render: (response) => renderAnthropicMessage(response, meta),
  });
}

/** Forwarded to an Anthropic target; estimated locally for any other (marked in the history). */
async function handleCountTokens(context: DialectContext, exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = requireString(body.model, 'model');
  const outcome = await routeCall(context, exchange, model, {
    native: new ForwardedBody('anthropic.count_tokens', body, false, rawBodyOf(exchange.request)),
    request: () => parseAnthropicRequest(body),
    translate: () => estimateInputTokens(parseAnthropicRequest(body)),
    // Counting tokens reaches no model: access rules apply, limits and budgets do not.
    admission: 'access',
  });
  if (outcome.kind === 'native') {
    await sendAnthropicPassthroughJson(exchange, outcome.native, { countTokens: true });
    return;
  }
  // The history row shows the count as its input tokens, flagged as an estimate.
  exchange.estimated = true;
  exchange.setUsage({ inputTokens: outcome.value, outputTokens: 0 });
  const text = JSON.stringify({ input_tokens: outcome.value });
  exchange.captureResponse(text);
  await exchange.sendAnswer(text, { 'content-type': 'application/json' });
}


export function registerAnthropicRoutes(app: FastifyInstance, context: DialectContext): void {
  const post = (url: string, schema: BodySchema, handler: (exchange: Exchange, body: Record<string, unknown>) => Promise<void>) => {
    app.post(url, { config }, async (request: FastifyRequest, reply: FastifyReply) => {
      const exchange = context.exchange(request, reply, 'anthropic', url);
      try {
        await handler(exchange, validBody(request.body, schema));
      } catch (error) {
        await respondError(exchange, error, renderAnthropicError, ANTHROPIC_ERROR_SHAPE);
      }
    });
  };
  post('/v1/messages', MESSAGES_SCHEMA, (exchange, body) => handleMessages(context, exchange, body));
  post('/v1/messages/count_tokens', COUNT_TOKENS_SCHEMA, (exchange, body) => handleCountTokens(context, exchange, body));
}

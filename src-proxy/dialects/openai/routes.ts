/**
 * The OpenAI dialect's routes: chat completions, legacy completions, embeddings, models.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectResponse } from '../../canonical/accumulator.ts';
import { makeId } from '../../canonical/ids.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { dropRequestBody, ForwardedBody, type BodySource } from '../../http/forwarded-body.ts';
import { respondError } from '../../http/respond-error.ts';
import { rawBodyOf } from '../../http/raw-body.ts';
import { anthropicErrorResponse } from '../../wire/anthropic/errors.ts';
import { anthropicModelObject, anthropicModelPage, wantsAnthropicShape } from '../../wire/anthropic/models.ts';
import { routeChat, routeEmbeddings } from '../../http/route-chat.ts';
import { checkModelAccess, modelsVisibleTo } from '../../http/admit-call.ts';
import { sendCanonicalJson, sendCanonicalStream } from '../../http/send-stream.ts';
import { encodeEmbeddingBase64 } from '../../wire/openai/embeddings.ts';
import { OPENAI_EMBEDDINGS_ENDPOINT } from '../../wire/openai/endpoints.ts';
import { validBody, type BodySchema } from '../../wire/body-schema.ts';
import { asArray, fieldError, isRecord, missing, requireString } from '../../wire/validate.ts';
import { CHAT_SCHEMA, COMPLETIONS_SCHEMA, EMBEDDINGS_SCHEMA } from './request-schemas.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import type { RouteConfig } from '../../http/route-config.ts';
import { createCompletionChunkEncoder, parseCompletionRequest, renderTextCompletion } from './completions.ts';
import { renderOpenAiError, OPENAI_ERROR_SHAPE } from './errors.ts';
import { openAiModelObject } from './models.ts';
import { FORBIDDEN_FIELDS } from '../../wire/openai/chat-fields.ts';
import { parseOpenAiChatRequest } from './parse-chat.ts';
import { readOpenAiChatAnswer, sendOpenAiPassthroughJson, sendOpenAiPassthroughStream } from './passthrough.ts';
import { createChatChunkEncoder, renderChatCompletion } from './render-chat.ts';
import { openAiConversationPeek } from './conversation-peek.ts';

const config: RouteConfig = { dialect: 'openai', auth: 'client-token', surface: 'gateway' };

/** Drops fields a client must never control (upstream URL, key) before forwarding. */
function forwardableBody(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (FORBIDDEN_FIELDS.has(key)) {
      const copy = { ...body };
      for (const field of FORBIDDEN_FIELDS) delete copy[field];
      return copy;
    }
  }
  return body;
}

function wantsUsage(body: Record<string, unknown>): boolean {
  return isRecord(body.stream_options) && body.stream_options.include_usage === true;
}

/** The native endpoint of each route (constants: no string built per request). */
const NATIVE_ENDPOINTS = { chat: 'openai.chat', completions: 'openai.completions' } as const;

/**
 * Reads what the call needs from the body, then hands over to sendChat, which never sees the
 * tree: an async function keeps its parameters and locals through every await, and the parsed
 * conversation is let go once the forwarded bytes are built (http/forwarded-body.ts).
 */
function handleChat(context: DialectContext, exchange: Exchange, body: Record<string, unknown>, endpoint: 'chat' | 'completions'): Promise<void> {
  const model = requireString(body.model, 'model');
  // Checked here too so the fast path gives the same clear 400 as the translated one.
  if (endpoint === 'chat') asArray(body.messages, 'messages');
  else if (body.prompt === undefined) throw fieldError(missing('prompt', 'a string, an array of strings or token arrays'));
  const stream = body.stream === true;
  exchange.stream = stream;
  const forwarded = forwardableBody(body);
  // The body's own bytes go along while the forwarded body is their parse unchanged.
  const raw = forwarded === body ? rawBodyOf(exchange.request) : undefined;
  const native = new ForwardedBody(NATIVE_ENDPOINTS[endpoint], forwarded, stream, raw);
  if (raw !== undefined) dropRequestBody(exchange.request);
  // With the bytes, the forwarded body is the client's body; without, the canonical reader gets the client's own.
  const source: BodySource = raw === undefined ? { body } : native;
  const options: ChatOptions = {
    model,
    native,
    toCanonical: endpoint === 'chat' ? () => parseOpenAiChatRequest(source.body) : () => parseCompletionRequest(source.body),
    peek: endpoint === 'chat' ? openAiConversationPeek(source) : undefined,
    readAnswer: endpoint === 'chat' ? readOpenAiChatAnswer : undefined,
  };
  return sendChat(context, exchange, options, endpoint, wantsUsage(body));
}

type ChatOptions = Parameters<typeof routeChat>[2];

async function sendChat(context: DialectContext, exchange: Exchange, options: ChatOptions, endpoint: 'chat' | 'completions', includeUsage: boolean): Promise<void> {
  const { stream } = exchange;
  const outcome = await routeChat(context, exchange, options);
  const settings = context.settings();
  if (outcome.kind === 'native') {
    if (stream) await sendOpenAiPassthroughStream(exchange, outcome.native, { clientWantsUsage: includeUsage, pingIntervalMs: settings.pingIntervalMs });
    else await sendOpenAiPassthroughJson(exchange, outcome.native);
    return;
  }
  const created = Math.floor(Date.now() / 1000);
  const meta = { id: makeId(endpoint === 'chat' ? 'chatcmpl-' : 'cmpl-'), model: outcome.target.model, created, includeUsage };
  if (stream) {
    const encoder = endpoint === 'chat' ? createChatChunkEncoder(meta) : createCompletionChunkEncoder(meta);
    await sendCanonicalStream(exchange, outcome.stream.events, encoder, { pingIntervalMs: settings.pingIntervalMs, dispose: outcome.stream.dispose });
    return;
  }
  await sendCanonicalJson(exchange, outcome.stream, {
    collect: (events) => collectResponse(events, { id: meta.id, model: meta.model }),
    render: (response) => (endpoint === 'chat' ? renderChatCompletion(response, created) : renderTextCompletion(response, created)),
  });
}

async function handleEmbeddings(context: DialectContext, exchange: Exchange, body: Record<string, unknown>) {
  const model = requireString(body.model, 'model');
  const raw = body.input;
  const input = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((item) => typeof item === 'string') ? (raw as string[]) : null;
  const outcome = await routeEmbeddings(
    context,
    exchange,
    model,
    () => {
      if (!input) throw new GatewayError('unsupported_feature', 'Token-array input can only go to OpenAI-compatible providers; send strings', { param: 'input' });
      const dimensions = typeof body.dimensions === 'number' ? body.dimensions : undefined;
      return { model, input, ...(dimensions ? { dimensions } : {}), extra: {} };
    },
    { endpoint: OPENAI_EMBEDDINGS_ENDPOINT, body: forwardableBody(body), stream: false },
  );
  if (outcome.kind === 'native') {
    await sendOpenAiPassthroughJson(exchange, outcome.native);
    return;
  }
  const embedded = outcome.value;
  const base64 = body.encoding_format === 'base64';
  await exchange.sendAnswer({
    object: 'list',
    data: embedded.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? encodeEmbeddingBase64(vector) : vector })),
    model: outcome.target.model,
    usage: { prompt_tokens: embedded.usage.inputTokens, total_tokens: embedded.usage.inputTokens },
  });
}

export function registerOpenAiRoutes(app: FastifyInstance, context: DialectContext): void {
  const post = (url: string, endpoint: string, schema: BodySchema, handler: (exchange: Exchange, body: Record<string, unknown>) => Promise<void>) => {
    app.post(url, { config }, async (request: FastifyRequest, reply: FastifyReply) => {
      const exchange = context.exchange(request, reply, 'openai', endpoint);
      try {
        await handler(exchange, validBody(request.body, schema));
      } catch (error) {
        await respondError(exchange, error, renderOpenAiError, OPENAI_ERROR_SHAPE);
      }
    });
  };
  post('/v1/chat/completions', '/v1/chat/completions', CHAT_SCHEMA, (exchange, body) => handleChat(context, exchange, body, 'chat'));
  post('/v1/completions', '/v1/completions', COMPLETIONS_SCHEMA, (exchange, body) => handleChat(context, exchange, body, 'completions'));
  post('/v1/embeddings', '/v1/embeddings', EMBEDDINGS_SCHEMA, (exchange, body) => handleEmbeddings(context, exchange, body));

  // Anthropic clients (they send anthropic-version) get Anthropic's shapes from the same routes.
  app.get('/v1/models', { config }, async (request) => {
    const models = modelsVisibleTo(context, request);
    if (wantsAnthropicShape(request.headers)) return anthropicModelPage(models.map((model) => anthropicModelObject(model, context.modelMetadata(model.id))));
    return { object: 'list', data: models.map((model) => openAiModelObject(context, model)) };
  });
  app.get('/v1/models/*', { config }, async (request, reply) => {
    const id = decodeURIComponent((request.params as { '*': string })['*']);
    const anthropic = wantsAnthropicShape(request.headers);
    let model = modelsVisibleTo(context, request).find((entry) => entry.id === id);
    if (!model) {
      // Aliases that are not listed (wildcards, hidden ones) still answer when they resolve.
      try {
        checkModelAccess(context, request, id);
        context.router.resolve(id);
        model = { id, ownedBy: 'switchboard', created: 0 };
      } catch (error) {
        const gatewayError = error instanceof GatewayError ? error : new GatewayError('model_not_found');
        const rendered = anthropic ? anthropicErrorResponse(gatewayError) : renderOpenAiError(gatewayError);
        return reply.code(rendered.status).send(rendered.body);
      }
    }
    return anthropic ? anthropicModelObject(model, context.modelMetadata(model.id)) : openAiModelObject(context, model);
  });
}

/**
 * The Gemini API's routes (`/v1beta/models…`, what the @google/genai SDK and Gemini CLI call):
 * list and get models, and POST `models/{model}:{method}` for generateContent,
 * streamGenerateContent (SSE with alt=sse, else one JSON array), countTokens, embedContent and
 * batchEmbedContents. Each goes to a Gemini provider unchanged (fast path) or through the
 * canonical model to any other provider. The model name may hold slashes (provider/model
 * addresses): the method is what follows the last colon.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectResponse } from '../../canonical/accumulator.ts';
import { estimateInputTokens } from '../../canonical/estimate-tokens.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import type { Exchange } from '../../http/exchange.ts';
import { checkModelAccess, modelsVisibleTo } from '../../http/admit-call.ts';
import { respondError } from '../../http/respond-error.ts';
import { routeCall, routeChat, routeEmbeddings } from '../../http/route-chat.ts';
import type { RouteConfig } from '../../http/route-config.ts';
import { sendCanonicalJson, sendCanonicalStream } from '../../http/send-stream.ts';
import { validBody, type BodySchema } from '../../wire/body-schema.ts';
import { fieldError, isRecord } from '../../wire/validate.ts';
import { GEMINI_ERROR_SHAPE, renderGeminiError } from './errors.ts';
import { geminiModelObject } from './models.ts';
import { parseGeminiRequest, type ParsedGeminiRequest } from './parse-request.ts';
import { sendGeminiPassthroughJson, sendGeminiPassthroughStream } from './passthrough.ts';
import { BATCH_EMBED_SCHEMA, COUNT_TOKENS_SCHEMA, EMBED_SCHEMA, GENERATE_SCHEMA } from './request-schema.ts';
import { renderGeminiResponse } from './render-response.ts';
import { createGeminiStreamEncoder } from './stream-encoder.ts';

const config: RouteConfig = { dialect: 'gemini', auth: 'client-token', surface: 'gateway' };

type Json = Record<string, unknown>;
type Handler = (context: DialectContext, exchange: Exchange, body: Json, call: { model: string; sse: boolean }) => Promise<void>;

function signsReasoning(context: DialectContext): (kind: string) => boolean {
  return (kind) => context.providers.spoke(kind)?.signsReasoning === true;
}

/** `gemini-2.5-flash:generateContent` → model and method; the model may itself contain ":" or "/". */
function splitCall(path: string): { model: string; method: string } {
  const at = path.lastIndexOf(':');
  const model = at === -1 ? path : path.slice(0, at);
  return { model: model.startsWith('models/') ? model.slice('models/'.length) : model, method: at === -1 ? '' : path.slice(at + 1) };
}

const generate = (stream: boolean): Handler => async (context, exchange, body, { model, sse }) => {
  exchange.stream = stream;
  let parsed: ParsedGeminiRequest | null = null;
  const outcome = await routeChat(context, exchange, {
    model,
    native: { endpoint: stream ? 'gemini.streamGenerateContent' : 'gemini.generateContent', body, stream, query: sse ? 'alt=sse' : '' },
    toCanonical: () => {
      parsed = parseGeminiRequest(body, model, stream, signsReasoning(context));
      return parsed.request;
    },
  });
  const settings = context.settings();
  if (outcome.kind === 'native') {
    if (stream && sse) await sendGeminiPassthroughStream(exchange, outcome.native, { pingIntervalMs: settings.pingIntervalMs });
    else await sendGeminiPassthroughJson(exchange, outcome.native);
    return;
  }
  const meta = { model, responseId: exchange.id, includeThoughts: (parsed as ParsedGeminiRequest | null)?.includeThoughts === true };
  if (stream) {
    const encoder = createGeminiStreamEncoder(meta, sse ? 'sse' : 'array');
    await sendCanonicalStream(exchange, outcome.stream.events, encoder, { pingIntervalMs: settings.pingIntervalMs, dispose: outcome.stream.dispose });
    return;
  }
  await sendCanonicalJson(exchange, outcome.stream, {
    collect: (events) => collectResponse(events, { id: exchange.id, model }),
    render: (response) => renderGeminiResponse(response, meta),
  });
};

/** Counted by a Gemini target; estimated locally for any other (marked in the history). */
const countTokens: Handler = async (context, exchange, body, { model }) => {
  const request = isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
  if (!Array.isArray(request.contents)) {
    throw fieldError({ path: 'contents', problem: 'countTokens needs "contents" or "generateContentRequest"', fix: 'Send the conversation to count as "contents" (an array of {"role", "parts"}), or a whole request as "generateContentRequest"' });
  }
  const outcome = await routeCall(context, exchange, model, {
    native: { endpoint: 'gemini.countTokens', body, stream: false },
    translate: () => estimateInputTokens(parseGeminiRequest(request, model, false, signsReasoning(context)).request),
    // Counting tokens reaches no model: access rules apply, limits and budgets do not.
    admission: 'access',
  });
  if (outcome.kind === 'native') {
    await sendGeminiPassthroughJson(exchange, outcome.native, { countTokens: true });
    return;
  }
  exchange.estimated = true;
  exchange.setUsage({ inputTokens: outcome.value, outputTokens: 0 });
  const text = JSON.stringify({ totalTokens: outcome.value });
  exchange.captureResponse(text);
  await exchange.sendAnswer(text, { 'content-type': 'application/json; charset=utf-8' });
};

/** The text of an embedding request's content (Gemini embeds text parts, joined). */
function embedText(content: unknown, where: string): string {
  const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
  const texts = parts.filter((part): part is Json => isRecord(part) && typeof part.text === 'string').map((part) => part.text as string);
  if (texts.length === 0) throw new GatewayError('unsupported_feature', `${where}: only text parts can be embedded here`, { param: where });
  return texts.join('\n');
}

const embed = (batch: boolean): Handler => async (context, exchange, body, { model }) => {
  const requests: Json[] = batch ? (body.requests as Json[]) : [body];
  const dimensions = requests.map((request) => request.outputDimensionality).find((value): value is number => typeof value === 'number');
  const outcome = await routeEmbeddings(
    context,
    exchange,
    model,
    () => ({ model, input: requests.map((request, index) => embedText(request.content, batch ? `requests[${index}].content` : 'content')), ...(dimensions ? { dimensions } : {}), extra: {} }),
    { endpoint: batch ? 'gemini.batchEmbedContents' : 'gemini.embedContent', body, stream: false },
  );
  if (outcome.kind === 'native') {
    await sendGeminiPassthroughJson(exchange, outcome.native);
    return;
  }
  const vectors = outcome.value.vectors;
  await exchange.sendAnswer(batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] ?? [] } });
};

const METHODS: Record<string, { schema: BodySchema; handle: Handler }> = {
  generateContent: { schema: GENERATE_SCHEMA, handle: generate(false) },
  streamGenerateContent: { schema: GENERATE_SCHEMA, handle: generate(true) },
  countTokens: { schema: COUNT_TOKENS_SCHEMA, handle: countTokens },
  embedContent: { schema: EMBED_SCHEMA, handle: embed(false) },
  batchEmbedContents: { schema: BATCH_EMBED_SCHEMA, handle: embed(true) },
};

export function registerGeminiRoutes(app: FastifyInstance, context: DialectContext): void {
  app.get('/v1beta/models', { config }, async (request) => ({
    models: modelsVisibleTo(context, request).map((model) => geminiModelObject(model, context.modelMetadata(model.id))),
  }));

  app.get('/v1beta/models/*', { config }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { model } = splitCall(decodeURIComponent((request.params as { '*': string })['*']));
    if (!modelsVisibleTo(context, request).some((entry) => entry.id === model)) {
      try {
        // Aliases that are not listed (wildcards, hidden ones) still answer when they resolve.
        checkModelAccess(context, request, model);
        context.router.resolve(model);
      } catch (error) {
        const rendered = renderGeminiError(error instanceof GatewayError ? error : new GatewayError('model_not_found'));
        return reply.code(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
      }
    }
    return geminiModelObject({ id: model }, context.modelMetadata(model));
  });

  app.post('/v1beta/models/*', { config }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { model, method } = splitCall(decodeURIComponent((request.params as { '*': string })['*']));
    const exchange = context.exchange(request, reply, 'gemini', `/v1beta/models/{model}:${method || '?'}`);
    try {
      const route = Object.hasOwn(METHODS, method) ? METHODS[method]! : null;
      if (!route) throw new GatewayError('not_found', `POST /v1beta/models/${model}:${method} is not an endpoint (use generateContent, streamGenerateContent, countTokens, embedContent or batchEmbedContents)`);
      const sse = (request.query as { alt?: string } | undefined)?.alt === 'sse';
      await route.handle(context, exchange, validBody(request.body, route.schema), { model, sse });
    } catch (error) {
      await respondError(exchange, error, renderGeminiError, GEMINI_ERROR_SHAPE);
    }
  });
}

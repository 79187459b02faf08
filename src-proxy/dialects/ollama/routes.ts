/**
 * The Ollama dialect's routes (default port 11434 speaks this): liveness, version, the model
 * endpoints, chat, generate, embeddings, and clear refusals for model management.
 *
 * Ollama clients send no API key, so these routes need no client token (`auth: 'none'`): they
 * rely on the gate every route passes — loopback listener, loopback Host header (DNS
 * rebinding), no foreign browser Origin, JSON-only bodies (http/security-gate.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChatAccumulator } from '../../canonical/accumulator.ts';
import { makeId } from '../../canonical/ids.ts';
import type { StreamEvent } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { respondError } from '../../http/respond-error.ts';
import { resolveWithRefresh, routeChat } from '../../http/route-chat.ts';
import { checkModelAccess, modelsVisibleTo } from '../../http/admit-call.ts';
import { sendCanonicalJson, sendCanonicalStream } from '../../http/send-stream.ts';
import { validBody, type BodySchema } from '../../wire/body-schema.ts';
import { requireString } from '../../wire/validate.ts';
import { CHAT_SCHEMA, EMBED_SCHEMA, GENERATE_SCHEMA, LEGACY_EMBEDDINGS_SCHEMA, SHOW_SCHEMA } from './request-schemas.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import type { RouteConfig } from '../../http/route-config.ts';
import { handleEmbed, handleLegacyEmbeddings } from './embed.ts';
import { renderOllamaError, OLLAMA_ERROR_SHAPE } from './errors.ts';
import { listRunning, listTags, showModel } from './models.ts';
import { parseOllamaChatRequest } from './parse-chat.ts';
import { isLoadRequest, isUnloadRequest, parseOllamaGenerateRequest } from './parse-generate.ts';
import { sendOllamaPassthroughJson, sendOllamaPassthroughStream } from './passthrough.ts';
import { AnswerTiming, createOllamaEncoder, renderOllamaResponse, type OllamaEndpoint } from './render.ts';
import { wantsStream } from './request-fields.ts';

const config: RouteConfig = { dialect: 'ollama', auth: 'none', surface: 'gateway' };

/**
 * The Ollama version /api/version reports. VS Code Copilot's Ollama provider refuses servers
 * older than 0.6.4 and clients gate features (thinking, tool streaming) on the version, so this
 * names a current release whose API Switchboard follows (docs/wire-formats.md, "Ollama").
 */
export const OLLAMA_COMPAT_VERSION = '0.12.6';

const MAX_RECENT_MODELS = 50;

function isLoadOnly(endpoint: OllamaEndpoint, body: Record<string, unknown>): boolean {
  if (endpoint === 'generate') return isLoadRequest(body);
  return !Array.isArray(body.messages) || body.messages.length === 0;
}

/** An empty prompt / empty messages only loads (or unloads) the model: Ollama answers at once. */
async function answerLoad(context: DialectContext, exchange: Exchange, model: string, endpoint: OllamaEndpoint, body: Record<string, unknown>) {
  exchange.requestedModel = model;
  checkModelAccess(context, exchange.request, model);
  await resolveWithRefresh(context, model);
  const reason = isUnloadRequest(body) ? 'unload' : 'load';
  const empty = endpoint === 'chat' ? { message: { role: 'assistant', content: '' } } : { response: '' };
  const answer = { model, created_at: new Date().toISOString(), ...empty, done: true, done_reason: reason };
  await exchange.sendAnswer(answer);
}

async function collect(events: AsyncIterable<StreamEvent>, timing: AnswerTiming, fallback: { id: string; model: string }) {
  const accumulator = new ChatAccumulator();
  for await (const event of events) {
    if (event.type === 'text_delta' || event.type === 'thinking_delta' || event.type === 'tool_call_start') timing.markFirstToken();
    accumulator.add(event);
  }
  return accumulator.result(fallback);
}

async function handleAnswer(context: DialectContext, exchange: Exchange, body: Record<string, unknown>, endpoint: OllamaEndpoint, used: (model: string) => void) {
  const model = requireString(body.model, 'model');
  const stream = wantsStream(body);
  exchange.stream = stream;
  if (isLoadOnly(endpoint, body)) return answerLoad(context, exchange, model, endpoint, body);
  const timing = new AnswerTiming();
  const outcome = await routeChat(context, exchange, {
    model,
    native: { endpoint: `ollama.${endpoint}`, body, stream },
    toCanonical: () => (endpoint === 'chat' ? parseOllamaChatRequest(body) : parseOllamaGenerateRequest(body)),
  });
  used(model);
  if (outcome.kind === 'native') {
    if (stream) await sendOllamaPassthroughStream(exchange, outcome.native);
    else await sendOllamaPassthroughJson(exchange, outcome.native);
    return;
  }
  const meta = { model, endpoint, timing };
  if (stream) {
    await sendCanonicalStream(exchange, outcome.stream.events, createOllamaEncoder(meta), { pingIntervalMs: context.settings().pingIntervalMs, dispose: outcome.stream.dispose });
    return;
  }
  await sendCanonicalJson(exchange, outcome.stream, {
    collect: (events) => collect(events, timing, { id: makeId('ollama-'), model }),
    render: (response) => renderOllamaResponse(response, meta),
    contentType: 'application/json; charset=utf-8',
  });
}

export function registerOllamaRoutes(app: FastifyInstance, context: DialectContext): void {
  // Model name → last use, newest last, for /api/ps.
  const recent = new Map<string, number>();
  const used = (model: string) => {
    recent.delete(model);
    recent.set(model, Date.now());
    if (recent.size > MAX_RECENT_MODELS) recent.delete(recent.keys().next().value!);
  };

  const post = (url: string, schema: BodySchema, handler: (exchange: Exchange, body: Record<string, unknown>) => Promise<void>) => {
    app.post(url, { config }, async (request: FastifyRequest, reply: FastifyReply) => {
      const exchange = context.exchange(request, reply, 'ollama', url);
      try {
        await handler(exchange, validBody(request.body, schema));
      } catch (error) {
        await respondError(exchange, error, renderOllamaError, OLLAMA_ERROR_SHAPE);
      }
    });
  };

  // GET also answers HEAD (Fastify exposes HEAD routes for GET ones).
  app.get('/', { config }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Ollama is running'));
  app.get('/api/version', { config }, async () => ({ version: OLLAMA_COMPAT_VERSION }));
  app.get('/api/tags', { config }, async (request) => ({ models: listTags(context, modelsVisibleTo(context, request)) }));
  app.get('/api/ps', { config }, async () => ({ models: listRunning(context, recent) }));
  app.post('/api/show', { config }, async (request) => {
    const body = validBody(request.body, SHOW_SCHEMA);
    // `name` is the field older clients (Continue) still send.
    const name = requireString(body.model ?? body.name, 'model');
    checkModelAccess(context, request, name);
    await resolveWithRefresh(context, name);
    return showModel(context, name);
  });

  post('/api/chat', CHAT_SCHEMA, (exchange, body) => handleAnswer(context, exchange, body, 'chat', used));
  post('/api/generate', GENERATE_SCHEMA, (exchange, body) => handleAnswer(context, exchange, body, 'generate', used));
  post('/api/embed', EMBED_SCHEMA, async (exchange, body) => {
    await handleEmbed(context, exchange, body);
    used(String(body.model));
  });
  post('/api/embeddings', LEGACY_EMBEDDINGS_SCHEMA, async (exchange, body) => {
    await handleLegacyEmbeddings(context, exchange, body);
    used(String(body.model));
  });

  const refuse = async (request: FastifyRequest) => {
    throw new GatewayError('model_management_unsupported', `${request.method} ${request.url.split('?', 1)[0]} is not available in Switchboard`);
  };
  for (const url of ['/api/pull', '/api/push', '/api/create', '/api/copy', '/api/blobs/:digest']) app.post(url, { config }, refuse);
  app.delete('/api/delete', { config }, refuse);
  app.head('/api/blobs/:digest', { config }, refuse);
}

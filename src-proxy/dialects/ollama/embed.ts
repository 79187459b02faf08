/**
 * /api/embed (`input`: a string or strings → `embeddings`) and the legacy /api/embeddings
 * (`prompt` → one `embedding`), to any provider; an Ollama upstream gets /api/embed bodies
 * natively.
 */
import type { Exchange } from '../../http/exchange.ts';
import { resolveWithRefresh, routeEmbeddings } from '../../http/route-chat.ts';
import { checkModelAccess } from '../../http/admit-call.ts';
import { fieldError, mustBe, optionalNumber, requireString } from '../../wire/validate.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import { sendOllamaPassthroughJson } from './passthrough.ts';
import { AnswerTiming } from './render.ts';

function embedInput(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw as string[];
  throw fieldError(mustBe('input', 'a string or an array of strings', raw));
}

export async function handleEmbed(context: DialectContext, exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = requireString(body.model, 'model');
  exchange.requestedModel = model;
  const input = embedInput(body.input);
  const dimensions = optionalNumber(body.dimensions, 'dimensions');
  const timing = new AnswerTiming();
  if (input.length === 0) {
    // Ollama answers no input as a model load: the model must exist, no embeddings come back.
    checkModelAccess(context, exchange.request, model);
    await resolveWithRefresh(context, model);
    await exchange.sendAnswer({ model, embeddings: [] });
    return;
  }
  const outcome = await routeEmbeddings(context, exchange, model, () => ({ model, input, ...(dimensions ? { dimensions } : {}), extra: {} }), {
    endpoint: 'ollama.embed',
    body,
    stream: false,
  });
  if (outcome.kind === 'native') {
    await sendOllamaPassthroughJson(exchange, outcome.native);
    return;
  }
  const embedded = outcome.value;
  timing.markFirstToken();
  const { total_duration, load_duration } = timing.fields(null);
  await exchange.sendAnswer({ model, embeddings: embedded.vectors, total_duration, load_duration, prompt_eval_count: embedded.usage.inputTokens });
}

export async function handleLegacyEmbeddings(context: DialectContext, exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = requireString(body.model, 'model');
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  if (prompt === '') {
    // Ollama answers an empty prompt with an empty vector (a load check).
    exchange.requestedModel = model;
    checkModelAccess(context, exchange.request, model);
    await resolveWithRefresh(context, model);
    await exchange.sendAnswer({ embedding: [] });
    return;
  }
  const outcome = await routeEmbeddings(context, exchange, model, () => ({ model, input: [prompt], extra: {} }));
  const vector = outcome.kind === 'translated' ? outcome.value.vectors[0] : undefined;
  await exchange.sendAnswer({ embedding: vector ?? [] });
}

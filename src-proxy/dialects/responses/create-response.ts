/**
 * POST /v1/responses: the Responses fast path when the target provider offers /v1/responses,
 * Responses ↔ canonical translation for every other provider, and keeping the answer for
 * `previous_response_id` when the request did not say `store: false`.
 */
import type { FastifyBaseLogger } from 'fastify';
import { collectResponse } from '../../canonical/accumulator.ts';
import { randomId } from '../../canonical/ids.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { Exchange } from '../../http/exchange.ts';
import { routeChat } from '../../http/route-chat.ts';
import { sendCanonicalJson, sendCanonicalStream } from '../../http/send-stream.ts';
import { RESPONSES_ENDPOINT } from '../../wire/openai/endpoints.ts';
import { FORBIDDEN_FIELDS } from '../../wire/openai/chat-fields.ts';
import { requireString } from '../../wire/validate.ts';
import type { DialectContext } from '../../http/dialect-context.ts';
import type { KeptResponseToSave, ResponsesRepository } from '../../store/types.ts';
import { inputItems, loadConversation, notKept, type Conversation } from './conversation.ts';
import { parseResponsesRequest, type ParsedResponsesRequest } from './parse-request.ts';
import { sendResponsesPassthroughJson, sendResponsesPassthroughStream } from './passthrough.ts';
import { outputItemsFromContent, responseEcho, responseObject, statusOf, type ResponseMeta } from './response-object.ts';
import { createResponsesEncoder } from './stream-encoder.ts';

/** The body for a Responses upstream: no fields that pick the upstream, the kept history inlined. */
function upstreamBody(body: Record<string, unknown>, history: unknown[] | null): Record<string, unknown> {
  const forbidden = Object.keys(body).some((key) => FORBIDDEN_FIELDS.has(key));
  if (!forbidden && !history) return body;
  const copy = { ...body };
  for (const field of FORBIDDEN_FIELDS) delete copy[field];
  if (history) {
    copy.input = [...history, ...inputItems(body.input)];
    delete copy.previous_response_id;
  }
  return copy;
}

/**
 * Queues a kept response; a failed write is logged. The write's promise settles only when its
 * batch is written (up to 100 ms after the answer ended, store/responses-repository.ts), and its
 * handler lives until then: made here it holds the logger and the id, made inside createResponse
 * it held that call's whole scope (the exchange, the body, the parsed request) through every
 * scavenge of those 100 ms, so each kept answer was promoted to old space with its request.
 */
function keepResponse(responses: ResponsesRepository, log: FastifyBaseLogger, row: KeptResponseToSave): void {
  const responseId = row.id;
  responses.save(row).catch((error: unknown) => log.warn({ err: error, responseId }, 'the response could not be kept for previous_response_id'));
}

function previousIdOf(body: Record<string, unknown>): string | null {
  const value = body.previous_response_id;
  if (value === undefined || value === null) return null;
  return requireString(value, 'previous_response_id');
}

export async function createResponse(context: DialectContext, exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = requireString(body.model, 'model');
  const stream = body.stream === true;
  exchange.stream = stream;
  const previousId = previousIdOf(body);
  const owner = exchange.clientKey;
  const conversation: Conversation | null = previousId ? await loadConversation(context.store.responses, previousId, owner) : null;
  const history = conversation && 'items' in conversation ? conversation.items : null;
  // Commands read the kept turns too: an earlier command line must not go upstream with them.
  exchange.keptTurns = history;
  // An id kept for another client is not passed on either: the upstream (same key) would know it.
  if (previousId && conversation && 'missing' in conversation && (await context.store.responses.isKept(previousId))) throw notKept(previousId, previousId);
  // Set by toCanonical (a closure TypeScript cannot follow, hence the holder object).
  const translated: { parsed: ParsedResponsesRequest | null } = { parsed: null };

  const outcome = await routeChat(context, exchange, {
    model,
    // An id Switchboard does not know may still be known to a Responses upstream: forward it.
    native: { endpoint: RESPONSES_ENDPOINT, body: upstreamBody(body, history), stream },
    toCanonical: () => {
      if (previousId && conversation && 'missing' in conversation) throw notKept(previousId, conversation.missing);
      translated.parsed = parseResponsesRequest(body, history, (kind) => context.providers.spoke(kind)?.signsReasoning === true);
      return translated.parsed.request;
    },
  });

  const keep = body.store === false
    ? undefined
    : (response: Record<string, unknown>, json?: string) => {
        if (typeof response.id !== 'string') throw new GatewayError('upstream_bad_response', 'The response has no id, so it cannot be kept for previous_response_id');
        // Written while the answer's last bytes go out; a failed write costs the next turn its
        // history (it says "not kept"), never this answer. The stream encoder's JSON of it is
        // kept as is (not serialised again, no object tree held until the batch is written).
        keepResponse(context.store.responses, exchange.request.log, { id: response.id, owner, previousResponseId: previousId, createdAt: Date.now(), input: inputItems(body.input), response: json ?? response });
      };
  const pingIntervalMs = context.settings().pingIntervalMs;

  if (outcome.kind === 'native') {
    if (stream) await sendResponsesPassthroughStream(exchange, outcome.native, { pingIntervalMs, onResponse: keep });
    else await sendResponsesPassthroughJson(exchange, outcome.native, { onResponse: keep });
    return;
  }

  if (!translated.parsed) throw new GatewayError('internal_error', 'The Responses request was routed for translation without being parsed');
  const { naming, dropped } = translated.parsed;
  // Hosted tools Codex merely offers (web_search…) were left out; say so where a user can look.
  if (dropped.length > 0) {
    const names = [...new Set(dropped)].join(', ');
    exchange.reply.raw.setHeader('x-switchboard-dropped', names);
    exchange.note(`hosted tools and items this provider cannot run were left out: ${names}`);
  }
  const meta: ResponseMeta = { id: randomId('resp_'), createdAt: Math.floor(Date.now() / 1000), model: outcome.target.model, echo: responseEcho(body) };
  if (stream) {
    const encoder = createResponsesEncoder({ meta, naming, onComplete: keep });
    await sendCanonicalStream(exchange, outcome.stream.events, encoder, { pingIntervalMs, dispose: outcome.stream.dispose });
    return;
  }
  await sendCanonicalJson(exchange, outcome.stream, {
    collect: (events) => collectResponse(events, { id: meta.id, model: meta.model }),
    render: (answer) => {
      const { status, incompleteReason } = statusOf(answer.finishReason);
      const response = responseObject(meta, status, outputItemsFromContent(answer.content, naming), { usage: answer.usage, incompleteReason });
      keep?.(response);
      return response;
    },
  });
}

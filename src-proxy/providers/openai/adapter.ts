/**
 * OpenAI-compatible provider (kind `openai`): OpenAI, OpenRouter, Groq, DeepSeek, Together,
 * Mistral, xAI, LM Studio, vLLM, a local Ollama's /v1 … Base URL as the OpenAI SDK takes it
 * (ending in /v1), bearer key, optional extra headers.
 */
import type { EmbeddingResponse } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { applyOverridesToOpenAiBody } from '../../wire/openai/overrides.ts';
import { openUpstream, readJson } from '../../upstream/open-upstream.ts';
import type { ProviderAdapter, ResolvedTarget, UpstreamContext, NativeCall } from '../types.ts';
import { openAiCompletionEvents, openAiStreamEvents } from '../../wire/openai/chat-events.ts';
import { askForStreamUsage, buildOpenAiChatBody } from '../../wire/openai/chat-request.ts';
import { decodeEmbedding } from '../../wire/openai/embeddings.ts';
import { RESPONSES_ENDPOINT } from '../../wire/openai/endpoints.ts';
import { buildResponsesUpstreamBody, RESPONSES_PATH, supportsResponses } from './responses-forward.ts';
import { spliceJsonObject } from '../../wire/json-splice.ts';
import { withFields } from '../../wire/with-fields.ts';

/** Native endpoint names → path under the base URL. */
const NATIVE_PATHS: Record<string, string> = {
  'openai.chat': '/chat/completions',
  'openai.completions': '/completions',
  'openai.embeddings': '/embeddings',
};

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

function headersFor(target: ResolvedTarget): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...target.provider.headers,
    ...(target.key ? { authorization: `Bearer ${target.key.secret}` } : {}),
  };
}

function secretsOf(target: ResolvedTarget): string[] {
  return target.key ? [target.key.secret] : [];
}

/** What every call of one provider with one key sends alike: worked out once, not per request. */
interface CallConstants {
  headers: Record<string, string>;
  secrets: readonly string[];
  urls: Map<string, string>;
}

/**
 * By provider record (a new record after any configuration change: the router's snapshot) and key
 * secret (an OAuth account's token changes when refreshed: a few entries, then started over).
 * Nothing sent upstream changes these objects (undici and the capture only read them).
 */
const constants = new WeakMap<ResolvedTarget['provider'], Map<string, CallConstants>>();

function constantsOf(target: ResolvedTarget): CallConstants {
  let bySecret = constants.get(target.provider);
  if (!bySecret) constants.set(target.provider, (bySecret = new Map()));
  const secret = target.key?.secret ?? '';
  let entry = bySecret.get(secret);
  if (!entry) {
    if (bySecret.size >= 16) bySecret.clear();
    entry = { headers: headersFor(target), secrets: secretsOf(target), urls: new Map() };
    bySecret.set(secret, entry);
  }
  return entry;
}

function post(context: UpstreamContext, target: ResolvedTarget, path: string, body: string | Buffer) {
  const call = constantsOf(target);
  let url = call.urls.get(path);
  if (url === undefined) call.urls.set(path, (url = joinUrl(target.provider.baseUrl, path)));
  return openUpstream(context, { url, headers: call.headers, body, providerLabel: target.provider.name, secrets: call.secrets });
}

/** The adapter for OpenAI-compatible upstreams (stateless; the registry creates one per gateway). */
export function createOpenAiAdapter(): ProviderAdapter {
  return {
    kind: 'openai',
    modelName: 'body',
    supportsNative: (endpoint, provider) => (endpoint === RESPONSES_ENDPOINT ? supportsResponses(provider) : Object.hasOwn(NATIVE_PATHS, endpoint)),

    async chat(request, target, context) {
      const body = buildOpenAiChatBody(request, target, context.note);
      const stream = await post(context, target, '/chat/completions', JSON.stringify(body));
      if (request.stream) return { events: openAiStreamEvents(stream.body), dispose: () => stream.response.dispose() };
      const json = (await readJson(stream)) as Record<string, unknown>;
      return { events: (async function* () { yield* openAiCompletionEvents(json); })(), dispose: () => stream.response.dispose() };
    },

    async embed(request, target, context): Promise<EmbeddingResponse> {
      const body = { model: target.model, input: request.input, encoding_format: 'float', ...(request.dimensions ? { dimensions: request.dimensions } : {}) };
      const json = (await readJson(await post(context, target, '/embeddings', JSON.stringify(body)))) as {
        data?: Array<{ index?: number; embedding?: number[] | string }>;
        usage?: { prompt_tokens?: number };
      };
      if (!Array.isArray(json.data)) throw new GatewayError('upstream_bad_response', 'The embeddings answer has no data array');
      const vectors = [...json.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((item) => decodeEmbedding(item.embedding));
      return { model: target.model, vectors, usage: { inputTokens: json.usage?.prompt_tokens ?? 0 } };
    },

    // Not async: the upstream call's own promise goes back (a throw before it is the router's to catch).
    forward(call: NativeCall, target, context) {
      if (call.endpoint === RESPONSES_ENDPOINT) return post(context, target, RESPONSES_PATH, buildResponsesUpstreamBody(call, target));
      const path = NATIVE_PATHS[call.endpoint];
      if (!path) throw new GatewayError('internal_error', `No native path for ${call.endpoint}`);
      const body: Record<string, unknown> = withFields(call.body, { model: target.model });
      applyOverridesToOpenAiBody(body, target.overrides, target.metadata);
      if (call.stream && call.endpoint !== 'openai.embeddings') {
        // Ask for usage so the history has token counts; the dialect strips the extra chunk again
        // when the client did not ask for it.
        askForStreamUsage(body);
      }
      // The client's own bytes with only the changes spliced in (model, usage request) when they came along.
      const bytes = call.raw === undefined ? null : spliceJsonObject(call.raw, call.body, body);
      return post(context, target, path, bytes ?? JSON.stringify(body));
    },

    async listModels(provider, key, context) {
      const stream = await openUpstream(context, {
        url: joinUrl(provider.baseUrl, '/models'),
        headers: { accept: 'application/json', ...provider.headers, ...(key ? { authorization: `Bearer ${key.secret}` } : {}) },
        providerLabel: provider.name,
        secrets: key ? [key.secret] : [],
      });
      const json = (await readJson(stream)) as { data?: Array<Record<string, unknown>> };
      if (!Array.isArray(json.data)) throw new GatewayError('upstream_bad_response', 'The models list has no data array');
      return json.data
        .filter((entry) => typeof entry.id === 'string')
        .map((entry) => ({
          model: entry.id as string,
          metadata: {
            ...(typeof entry.context_length === 'number' ? { contextWindow: entry.context_length } : {}),
            ...(typeof entry.context_window === 'number' ? { contextWindow: entry.context_window } : {}),
          },
        }));
    },
  };
}

/**
 * Ollama provider (kind `ollama`): a local or remote Ollama server, base URL like
 * http://127.0.0.1:11434. No key needed; a key, when set, goes as a Bearer token (ollama.com
 * and servers behind an authenticating proxy).
 *
 * Native /api/chat for translated requests, /api/embed for embeddings, discovery from /api/tags
 * + /api/show, and a same-dialect fast path for Ollama clients (/api/chat, /api/generate,
 * /api/embed) that forwards the client's body with only the model rewritten — plus num_ctx
 * when the client left it out (see chat-request.ts for why).
 */
import { withFields } from '../../wire/with-fields.ts';
import type { EmbeddingResponse } from '../../canonical/types.ts';
import type { TargetOverrides } from '../../domain/overrides.ts';
import { GatewayError } from '../../errors/codes.ts';
import { FALLBACK_CONTEXT_WINDOW } from '../../domain/model-families.ts';
import { openUpstream, readJson } from '../../upstream/open-upstream.ts';
import type { NativeCall, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../types.ts';
import { ollamaResponseEvents, ollamaStreamEvents } from './chat-events.ts';
import { buildOllamaChatBody } from './chat-request.ts';
import { listOllamaModels, ollamaHeaders, ollamaUrl } from './discovery.ts';

/** Native endpoint names → path at the Ollama server. */
const NATIVE_PATHS: Record<string, string> = {
  'ollama.chat': '/api/chat',
  'ollama.generate': '/api/generate',
  'ollama.embed': '/api/embed',
};

function post(context: UpstreamContext, target: ResolvedTarget, path: string, body: string) {
  return openUpstream(context, {
    url: ollamaUrl(target.provider.baseUrl, path),
    headers: ollamaHeaders(target.provider, target.key),
    body,
    providerLabel: target.provider.name,
    secrets: target.key ? [target.key.secret] : [],
  });
}

/** Alias overrides and the context window for a client's own Ollama body (fast path). */
function nativeOptions(body: Record<string, unknown>, target: ResolvedTarget, overrides: TargetOverrides | undefined): Record<string, unknown> {
  const given = body.options && typeof body.options === 'object' && !Array.isArray(body.options) ? (body.options as Record<string, unknown>) : {};
  const options: Record<string, unknown> = { ...given };
  options.num_ctx ??= target.metadata?.contextWindow ?? FALLBACK_CONTEXT_WINDOW;
  if (overrides?.maxTokens !== undefined) options.num_predict ??= overrides.maxTokens;
  if (overrides?.temperature !== undefined) options.temperature = overrides.temperature;
  if (overrides?.maxTemperature !== undefined && typeof options.temperature === 'number') options.temperature = Math.min(options.temperature, overrides.maxTemperature);
  if (overrides?.topP !== undefined) options.top_p = overrides.topP;
  return options;
}

/** The adapter for Ollama upstreams (stateless; the registry creates one per gateway). */
export function createOllamaAdapter(): ProviderAdapter {
  return {
    kind: 'ollama',
    modelName: 'body',
    supportsNative: (endpoint) => Object.hasOwn(NATIVE_PATHS, endpoint),

    async chat(request, target, context) {
      const body = buildOllamaChatBody(request, target, context.note);
      const stream = await post(context, target, '/api/chat', JSON.stringify(body));
      if (request.stream) return { events: ollamaStreamEvents(stream.body), dispose: () => stream.response.dispose() };
      const json = (await readJson(stream)) as Record<string, unknown>;
      return { events: (async function* () { yield* ollamaResponseEvents(json); })(), dispose: () => stream.response.dispose() };
    },

    async embed(request, target, context): Promise<EmbeddingResponse> {
      const body = { model: target.model, input: request.input, ...(request.dimensions ? { dimensions: request.dimensions } : {}) };
      const json = (await readJson(await post(context, target, '/api/embed', JSON.stringify(body)))) as { embeddings?: number[][]; prompt_eval_count?: number };
      if (!Array.isArray(json.embeddings)) throw new GatewayError('upstream_bad_response', 'The Ollama /api/embed answer has no embeddings array');
      return { model: target.model, vectors: json.embeddings, usage: { inputTokens: json.prompt_eval_count ?? 0 } };
    },

    async forward(call: NativeCall, target, context) {
      const path = NATIVE_PATHS[call.endpoint];
      if (!path) throw new GatewayError('internal_error', `No native path for ${call.endpoint}`);
      const body: Record<string, unknown> = withFields(call.body, { model: target.model });
      if (call.endpoint !== 'ollama.embed') body.options = nativeOptions(call.body, target, target.overrides);
      return post(context, target, path, JSON.stringify(body));
    },

    listModels: listOllamaModels,
  };
}

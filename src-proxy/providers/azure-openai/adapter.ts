/**
 * Azure OpenAI provider (kind `azure-openai`). The wire format is OpenAI Chat Completions, so
 * the OpenAI provider's request builder and chunk converter are reused as they are; this
 * folder only knows Azure's URLs, deployments, `api-key` auth and content-filter errors.
 * OpenAI clients get the same-dialect fast path (body forwarded, model rewritten or removed).
 */
import type { EmbeddingResponse } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { applyOverridesToOpenAiBody } from '../../wire/openai/overrides.ts';
import { readJson } from '../../upstream/open-upstream.ts';
import { openAiCompletionEvents, openAiStreamEvents } from '../../wire/openai/chat-events.ts';
import { askForStreamUsage, buildOpenAiChatBody } from '../../wire/openai/chat-request.ts';
import { decodeEmbedding } from '../../wire/openai/embeddings.ts';
import type { NativeCall, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../types.ts';
import { openAzure } from './errors.ts';
import { listAzureModels } from './models.ts';
import { azureHeaders, azureSurface, deploymentFor, secretsOf, type AzurePath } from './surface.ts';

const NATIVE_PATHS: Record<string, AzurePath> = {
  'openai.chat': '/chat/completions',
  'openai.completions': '/completions',
  'openai.embeddings': '/embeddings',
};

/** Body `model` per surface, then POST to the deployment. */
function post(context: UpstreamContext, target: ResolvedTarget, path: AzurePath, body: Record<string, unknown>) {
  const surface = azureSurface(target.provider);
  const deployment = deploymentFor(target.provider, target.model);
  surface.setModel(body, deployment);
  return openAzure(context, {
    url: surface.url(path, deployment),
    headers: azureHeaders(target.provider, target.key),
    body: JSON.stringify(body),
    providerLabel: target.provider.name,
    secrets: secretsOf(target.key),
  });
}

/**
 * Azure rejects request fields it does not know ("Unrecognized request argument"), and
 * `reasoning_content` on assistant turns only comes from other vendors' reasoning: drop it.
 */
function dropForeignReasoning(body: Record<string, unknown>): void {
  for (const message of body.messages as Array<Record<string, unknown>>) if ('reasoning_content' in message) delete message.reasoning_content;
}

/** The adapter for Azure OpenAI (stateless; the registry creates one per gateway). */
export function createAzureOpenAiAdapter(): ProviderAdapter {
  return {
    kind: 'azure-openai',
    // The classic surface puts the deployment in the path; the v1 surface takes no "/" either.
    modelName: 'path-segment',
    supportsNative: (endpoint) => Object.hasOwn(NATIVE_PATHS, endpoint),

    async chat(request, target, context) {
      const body = buildOpenAiChatBody(request, target, context.note);
      dropForeignReasoning(body);
      const stream = await post(context, target, '/chat/completions', body);
      const dispose = () => stream.response.dispose();
      if (request.stream) return { events: openAiStreamEvents(stream.body), dispose };
      const json = (await readJson(stream)) as Record<string, unknown>;
      return { events: (async function* () { yield* openAiCompletionEvents(json); })(), dispose };
    },

    async embed(request, target, context): Promise<EmbeddingResponse> {
      const body = { input: request.input, encoding_format: 'float', ...(request.dimensions ? { dimensions: request.dimensions } : {}) };
      const json = (await readJson(await post(context, target, '/embeddings', body))) as {
        data?: Array<{ index?: number; embedding?: number[] | string }>;
        usage?: { prompt_tokens?: number };
      };
      if (!Array.isArray(json.data)) throw new GatewayError('upstream_bad_response', 'The Azure embeddings answer has no data array');
      const vectors = [...json.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((item) => decodeEmbedding(item.embedding));
      return { model: target.model, vectors, usage: { inputTokens: json.usage?.prompt_tokens ?? 0 } };
    },

    async forward(call: NativeCall, target, context) {
      const path = NATIVE_PATHS[call.endpoint];
      if (!path) throw new GatewayError('internal_error', `No native path for ${call.endpoint}`);
      const body: Record<string, unknown> = { ...call.body };
      applyOverridesToOpenAiBody(body, target.overrides, target.metadata);
      if (call.stream && call.endpoint !== 'openai.embeddings') {
        // Usage for the history; the OpenAI dialect strips the extra chunk when not asked for.
        askForStreamUsage(body);
      }
      return post(context, target, path, body);
    },

    listModels: listAzureModels,
  };
}

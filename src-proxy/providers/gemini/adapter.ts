/**
 * Google Gemini provider (kind `gemini`, base URL `https://generativelanguage.googleapis.com`,
 * with or without `/v1beta`): chat through `generateContent` / `streamGenerateContent?alt=sse`,
 * embeddings through `batchEmbedContents`, discovery through `models`; a Gemini client's own
 * calls take the same-dialect fast path (native.ts). Format notes live in the files of this folder; the reference is docs/wire-formats.md, "Gemini".
 */
import { withFields } from '../../wire/with-fields.ts';
import type { ChatRequest, EmbeddingResponse } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { applyOverrides } from '../../canonical/apply-overrides.ts';
import { readJson } from '../../upstream/open-upstream.ts';
import type { CanonicalStream, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../types.ts';
import { urlsToDownload } from '../../wire/gemini/contents.ts';
import { geminiApiRoot, geminiHeaders, geminiMethodUrl, geminiModelResource, secretsOf } from './endpoint.ts';
import { openGemini } from './errors.ts';
import { geminiResponseEvents, geminiStreamEvents } from '../../wire/gemini/events.ts';
import { downloadAll, type InlineData } from '../../wire/gemini/inline-media.ts';
import { listGeminiModels } from './models.ts';
import { buildGeminiNativeCall } from './native.ts';
import { buildGeminiBody } from '../../wire/gemini/request.ts';
import { isGeminiNativeEndpoint } from '../../wire/gemini/endpoints.ts';
import { createSignatureCache, type SignatureCache } from '../../canonical/signature-cache.ts';
import type { GeminiResponse } from '../../wire/gemini/types.ts';

const NO_DOWNLOADS: ReadonlyMap<string, InlineData> = new Map();

async function chat(signatures: SignatureCache<string>, request: ChatRequest, target: ResolvedTarget, context: UpstreamContext): Promise<CanonicalStream> {
  const effective = applyOverrides(request, target.overrides, target.metadata, context.note);
  const filesPrefix = `${geminiApiRoot(target.provider.baseUrl)}/files/`;
  const urls = urlsToDownload(effective.messages, filesPrefix);
  const downloaded = urls.length > 0 ? await downloadAll(urls, context) : NO_DOWNLOADS;
  const body = buildGeminiBody(effective, target.model, { signatures, downloaded, filesPrefix });
  const stream = await openGemini(context, {
    url: geminiMethodUrl(target.provider.baseUrl, target.model, effective.stream ? 'streamGenerateContent' : 'generateContent'),
    headers: geminiHeaders(target.provider, target.key, effective.stream ? 'text/event-stream' : 'application/json'),
    body: JSON.stringify(body),
    providerLabel: target.provider.name,
    secrets: secretsOf(target.key),
  });
  const dispose = () => stream.response.dispose();
  if (effective.stream) return { events: geminiStreamEvents(stream.body, signatures), dispose };
  const json = (await readJson(stream)) as GeminiResponse;
  return { events: (async function* () { yield* geminiResponseEvents(json, signatures); })(), dispose };
}

async function embed(request: Parameters<ProviderAdapter['embed']>[0], target: ResolvedTarget, context: UpstreamContext): Promise<EmbeddingResponse> {
  const model = geminiModelResource(target.model);
  const requests = request.input.map((text) => ({ model, content: { parts: [{ text }] }, ...(request.dimensions ? { outputDimensionality: request.dimensions } : {}) }));
  const stream = await openGemini(context, {
    url: geminiMethodUrl(target.provider.baseUrl, target.model, 'batchEmbedContents'),
    headers: geminiHeaders(target.provider, target.key),
    body: JSON.stringify({ requests }),
    providerLabel: target.provider.name,
    secrets: secretsOf(target.key),
  });
  const json = (await readJson(stream)) as { embeddings?: Array<{ values?: number[] }>; usageMetadata?: { promptTokenCount?: number } };
  if (!Array.isArray(json.embeddings) || json.embeddings.length !== request.input.length) {
    throw new GatewayError('upstream_bad_response', `Gemini returned ${json.embeddings?.length ?? 'no'} embeddings for ${request.input.length} inputs`);
  }
  const vectors = json.embeddings.map((entry) => {
    if (!Array.isArray(entry.values)) throw new GatewayError('upstream_bad_response', 'An embedding in the Gemini answer has no values');
    return entry.values;
  });
  // batchEmbedContents reports no token counts on most models; 0 then means "not reported".
  return { model: target.model, vectors, usage: { inputTokens: json.usageMetadata?.promptTokenCount ?? 0 } };
}

/** One adapter with its own signature cache (the registry holds the instance the server uses). */
export function createGeminiAdapter(signatures: SignatureCache<string> = createSignatureCache()): ProviderAdapter {
  return {
    kind: 'gemini',
    modelName: 'resource',
    supportsNative: (endpoint) => isGeminiNativeEndpoint(endpoint),
    chat: (request, target, context) => chat(signatures, request, target, context),
    embed,
    async forward(call, target, context) {
      if (!isGeminiNativeEndpoint(call.endpoint)) throw new GatewayError('internal_error', `No native Gemini method for ${call.endpoint}`);
      const { url, body } = buildGeminiNativeCall(withFields(call, { endpoint: call.endpoint }), target);
      return openGemini(context, {
        url,
        headers: geminiHeaders(target.provider, target.key, call.stream ? 'text/event-stream' : 'application/json'),
        body,
        providerLabel: target.provider.name,
        secrets: secretsOf(target.key),
      });
    },
    listModels: listGeminiModels,
  };
}

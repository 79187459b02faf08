/**
 * Vertex AI provider (kind `vertex`): Gemini models through `generateContent` /
 * `streamGenerateContent?alt=sse` and Claude models through `rawPredict` / `streamRawPredict`,
 * with the Gemini and Anthropic wire modules (wire/gemini/, wire/anthropic/) building the bodies
 * and reading the answers. Claude's body is Anthropic Messages with
 * `anthropic_version: "vertex-2023-10-16"` and no `model` (the URL names it). Auth: a bearer
 * access token from the service-account key (tokens.ts), fetched again once on a 401; or, for an
 * OAuth account key, the access token the router resolved (routing/key-credentials.ts), which the
 * router itself refreshes and retries once on a 401 (the project then comes from options.project).
 */
import { applyOverrides } from '../../canonical/apply-overrides.ts';
import { createSignatureCache } from '../../canonical/signature-cache.ts';
import type { ChatRequest, ThinkingPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { openUpstream, readJson } from '../../upstream/open-upstream.ts';
import { anthropicMessageEvents, anthropicStreamEvents } from '../../wire/anthropic/messages-events.ts';
import { buildAnthropicBody } from '../../wire/anthropic/messages-request.ts';
import { urlsToDownload } from '../../wire/gemini/contents.ts';
import { geminiResponseEvents, geminiStreamEvents } from '../../wire/gemini/events.ts';
import { downloadAll, type InlineData } from '../../wire/gemini/inline-media.ts';
import { buildGeminiBody } from '../../wire/gemini/request.ts';
import type { GeminiResponse } from '../../wire/gemini/types.ts';
import type { CanonicalStream, NativeStream, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../types.ts';
import { publisherOf, vertexModelUrl } from './endpoint.ts';
import { VERTEX_MODELS } from './models.ts';
import { createVertexTokens, type VertexTokens } from './tokens.ts';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';
/** max_tokens for Claude when the client gave none and nothing is known of the model. */
const FALLBACK_MAX_TOKENS = 8192;
/** Vertex has no Files API URLs of Gemini's kind: every http(s) image is downloaded and sent inline. */
const NO_FILES_PREFIX = '\u0000';
const NO_DOWNLOADS: ReadonlyMap<string, InlineData> = new Map();

/** POST with the key's access token; on a 401 the token is fetched again and the call made once more. */
async function post(tokens: VertexTokens, context: UpstreamContext, target: ResolvedTarget, stream: boolean, body: string): Promise<NativeStream> {
  if (!target.key) throw new GatewayError('no_provider_key', 'Vertex needs a service-account JSON key or an OAuth account');
  const secret = target.key.secret;
  if (target.key.account) {
    // An OAuth account's access token: a 401 goes up as upstream_auth_failed, the router refreshes and retries.
    return openUpstream(context, {
      url: vertexModelUrl(target.provider, undefined, target.model, stream),
      headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...target.provider.headers, authorization: `Bearer ${secret}` },
      body,
      providerLabel: target.provider.name,
      secrets: [secret],
    });
  }
  for (let attempt = 0; ; attempt++) {
    const { token, account } = await tokens.get(secret, context);
    try {
      return await openUpstream(context, {
        url: vertexModelUrl(target.provider, account.projectId, target.model, stream),
        headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...target.provider.headers, authorization: `Bearer ${token}` },
        body,
        providerLabel: target.provider.name,
        secrets: [secret, token],
      });
    } catch (error) {
      if (attempt > 0 || !(error instanceof GatewayError) || error.upstreamBody?.status !== 401) throw error;
      tokens.invalidate(secret);
    }
  }
}

export function createVertexAdapter(tokens: VertexTokens = createVertexTokens()): ProviderAdapter {
  const geminiSignatures = createSignatureCache<string>();
  const claudeSignatures = createSignatureCache<readonly ThinkingPart[]>();

  async function gemini(request: ChatRequest, target: ResolvedTarget, context: UpstreamContext): Promise<CanonicalStream> {
    const effective = applyOverrides(request, target.overrides, target.metadata, context.note);
    const urls = urlsToDownload(effective.messages, NO_FILES_PREFIX);
    const downloaded = urls.length > 0 ? await downloadAll(urls, context) : NO_DOWNLOADS;
    const body = buildGeminiBody(effective, target.model, { signatures: geminiSignatures, downloaded, filesPrefix: NO_FILES_PREFIX });
    const upstream = await post(tokens, context, target, effective.stream, JSON.stringify(body));
    const dispose = () => upstream.response.dispose();
    if (effective.stream) return { events: geminiStreamEvents(upstream.body, geminiSignatures), dispose };
    const events = geminiResponseEvents((await readJson(upstream)) as GeminiResponse, geminiSignatures);
    return { events: (async function* () { yield* events; })(), dispose };
  }

  async function claude(request: ChatRequest, target: ResolvedTarget, context: UpstreamContext): Promise<CanonicalStream> {
    const defaultMaxTokens = target.metadata?.maxOutputTokens ?? FALLBACK_MAX_TOKENS;
    const { model: _model, ...rest } = buildAnthropicBody(request, target, { signatures: claudeSignatures, defaultMaxTokens, note: context.note });
    const body = { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest };
    const upstream = await post(tokens, context, target, request.stream, JSON.stringify(body));
    const dispose = () => upstream.response.dispose();
    if (request.stream) return { events: anthropicStreamEvents(upstream.body, claudeSignatures), dispose };
    const events = anthropicMessageEvents((await readJson(upstream)) as Record<string, unknown>, claudeSignatures);
    return { events: (async function* () { yield* events; })(), dispose };
  }

  return {
    kind: 'vertex',
    modelName: 'path-segment',
    supportsNative: () => false,
    chat: (request, target, context) => (publisherOf(target.model) === 'anthropic' ? claude(request, target, context) : gemini(request, target, context)),
    embed() {
      return Promise.reject(new GatewayError('unsupported_feature', 'The Vertex provider serves chat models only; route embeddings to another provider'));
    },
    forward() {
      return Promise.reject(new GatewayError('internal_error', 'Vertex has no same-dialect fast path'));
    },
    async listModels(_provider, key, context) {
      // Vertex has no one listing of the publisher models a project may call; the token exchange
      // still checks the key, so a rejected key is found here as with other kinds.
      if (!key) throw new GatewayError('no_provider_key', 'Vertex needs a service-account JSON key or an OAuth account');
      // An OAuth account's token was refreshed (and so checked) by the router before this call.
      if (!key.account) await tokens.get(key.secret, context);
      return VERTEX_MODELS.map((entry) => ({ model: entry.model, metadata: { ...entry.metadata } }));
    },
  };
}

/**
 * Anthropic provider (kind `anthropic`): api.anthropic.com or an Anthropic-compatible service.
 * Base URL without `/v1` (as the Anthropic SDK takes it; a trailing `/v1` is tolerated), key sent
 * as `x-api-key`, `anthropic-version` / `anthropic-beta` forwarded from the client when it sent
 * them (Claude Code's betas must reach the API unchanged), else the stable version.
 *
 * Same-dialect fast path for Anthropic clients: the body goes up with only the model rewritten
 * (cache hints, thinking signatures and server tools untouched). Other clients are translated.
 */
import { withFields } from '../../wire/with-fields.ts';
import { spliceJsonObject } from '../../wire/json-splice.ts';
import { createSignatureCache, type SignatureCache } from '../../canonical/signature-cache.ts';
import type { ThinkingPart } from '../../canonical/types.ts';
import { optionsOf } from '../../domain/provider-kind.ts';
import { ANTHROPIC_OPTIONS } from './options.ts';
import type { TargetOverrides } from '../../domain/overrides.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { openUpstream, readJson } from '../../upstream/open-upstream.ts';
import type { NativeCall, ProviderAdapter, ResolvedTarget, UpstreamContext } from '../types.ts';
import { anthropicMessageEvents, anthropicStreamEvents } from '../../wire/anthropic/messages-events.ts';
import { buildAnthropicBody } from '../../wire/anthropic/messages-request.ts';
import { listAnthropicModels } from './models.ts';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/** max_tokens when the client gave none and nothing is known of the model. */
export const FALLBACK_MAX_TOKENS = 8192;

const NATIVE_PATHS: Record<string, string> = {
  'anthropic.messages': '/v1/messages',
  'anthropic.count_tokens': '/v1/messages/count_tokens',
};

export function anthropicUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '') + path;
}

function header(context: UpstreamContext, name: string): string | undefined {
  const value = context.clientHeaders[name] as string | string[] | undefined;
  return Array.isArray(value) ? value.join(',') : value || undefined;
}

export function anthropicHeaders(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Record<string, string> {
  const beta = header(context, 'anthropic-beta');
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'anthropic-version': header(context, 'anthropic-version') ?? optionsOf(provider, ANTHROPIC_OPTIONS).anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
    ...(beta ? { 'anthropic-beta': beta } : {}),
    ...provider.headers,
    ...(key ? { 'x-api-key': key.secret } : {}),
  };
}

function post(context: UpstreamContext, target: ResolvedTarget, path: string, body: string | Buffer) {
  return openUpstream(context, {
    url: anthropicUrl(target.provider.baseUrl, path),
    headers: anthropicHeaders(target.provider, target.key, context),
    body,
    providerLabel: target.provider.name,
    secrets: target.key ? [target.key.secret] : [],
  });
}

/** Alias overrides on a raw Messages body (fast path); max_tokens is required there already. */
function applyOverridesToAnthropicBody(body: Record<string, unknown>, overrides: TargetOverrides | undefined): void {
  if (!overrides) return;
  if (overrides.temperature !== undefined) body.temperature = Math.min(1, overrides.temperature);
  if (overrides.maxTemperature !== undefined && typeof body.temperature === 'number') body.temperature = Math.min(body.temperature, overrides.maxTemperature);
  if (overrides.topP !== undefined) body.top_p = overrides.topP;
}

/** One adapter with its own cache of thinking signatures (the registry creates one per gateway). */
export function createAnthropicAdapter(signatures: SignatureCache<readonly ThinkingPart[]> = createSignatureCache()): ProviderAdapter {
  const deps = { signatures };
  return {
    kind: 'anthropic',
    modelName: 'body',
    supportsNative: (endpoint) => Object.hasOwn(NATIVE_PATHS, endpoint),

    async chat(request, target, context) {
      const defaultMaxTokens = target.metadata?.maxOutputTokens ?? FALLBACK_MAX_TOKENS;
      const body = buildAnthropicBody(request, target, { signatures: deps.signatures, defaultMaxTokens, note: context.note });
      const upstream = await post(context, target, '/v1/messages', JSON.stringify(body));
      if (request.stream) return { events: anthropicStreamEvents(upstream.body, deps.signatures), dispose: () => upstream.response.dispose() };
      const json = (await readJson(upstream)) as Record<string, unknown>;
      const events = anthropicMessageEvents(json, deps.signatures);
      return { events: (async function* () { yield* events; })(), dispose: () => upstream.response.dispose() };
    },

    embed() {
      return Promise.reject(new GatewayError('unsupported_feature', 'Anthropic has no embeddings endpoint; route embeddings to another provider'));
    },

    async forward(call: NativeCall, target, context) {
      const path = NATIVE_PATHS[call.endpoint];
      if (!path) throw new GatewayError('internal_error', `No native path for ${call.endpoint}`);
      const body: Record<string, unknown> = withFields(call.body, { model: target.model });
      if (call.endpoint === 'anthropic.messages') applyOverridesToAnthropicBody(body, target.overrides);
      // The client's own bytes with only the changes spliced in (model, overrides) when they came along.
      const bytes = call.raw === undefined ? null : spliceJsonObject(call.raw, call.body, body);
      return post(context, target, path, bytes ?? JSON.stringify(body));
    },

    listModels: (provider, key, context) => listAnthropicModels(provider, anthropicHeaders(provider, key, context), context, key ? [key.secret] : []),
  };
}

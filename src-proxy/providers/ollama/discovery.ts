/**
 * Model discovery at an Ollama server: /api/tags lists the models, /api/show per model adds
 * what the client-facing metadata needs (capabilities, context length, family, size).
 *
 * The context window recorded is the `num_ctx` the model's Modelfile sets when it sets one (the
 * size its owner chose to run it at), else the trained `<arch>.context_length` capped at
 * DEFAULT_CONTEXT_CAP. Switchboard sends this as `num_ctx` on every request, and Ollama sizes its
 * KV cache by it: a 128K trained length would make a small local model reload with many GB of
 * cache. 32K fits agent prompts; an alias's context-window metadata raises it deliberately.
 */
import type { Capability, ModelMetadata } from '../../domain/model-metadata.ts';
import { CAPABILITIES } from '../../domain/model-metadata.ts';
import { GatewayError } from '../../errors/codes.ts';
import { openUpstream, readJson } from '../../upstream/open-upstream.ts';
import type { DiscoveredModelInfo, ResolvedTarget, UpstreamContext } from '../types.ts';
import type { ProviderRecord } from '../../domain/provider.ts';

export const DEFAULT_CONTEXT_CAP = 32_768;

/** /api/show calls in flight at once: a local Ollama reads each model's file to answer. */
const SHOW_CONCURRENCY = 4;

export function ollamaUrl(baseUrl: string, path: string): string {
  // Accept "http://host:11434", ".../" and ".../api": the paths below all start with /api.
  return baseUrl.replace(/\/+$/, '').replace(/\/api$/, '') + path;
}

export function ollamaHeaders(provider: ProviderRecord, key: ResolvedTarget['key']): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, application/x-ndjson',
    ...provider.headers,
    ...(key ? { authorization: `Bearer ${key.secret}` } : {}),
  };
}

/** `parameters` text ("num_ctx 8192\nstop \"<|eot_id|>\"") → num_ctx, when set. */
export function numCtxFromParameters(parameters: unknown): number | undefined {
  if (typeof parameters !== 'string') return undefined;
  const match = /^num_ctx\s+(\d+)\s*$/m.exec(parameters);
  return match ? Number(match[1]) : undefined;
}

/** An /api/show answer → model metadata. */
export function metadataFromShow(show: Record<string, unknown>): ModelMetadata {
  const info = (show.model_info ?? {}) as Record<string, unknown>;
  const details = (show.details ?? {}) as Record<string, unknown>;
  const architecture = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : undefined;
  const trained = architecture ? info[`${architecture}.context_length`] : undefined;
  const contextWindow = numCtxFromParameters(show.parameters) ?? (typeof trained === 'number' ? Math.min(trained, DEFAULT_CONTEXT_CAP) : undefined);
  const known = new Set<string>(CAPABILITIES);
  const capabilities = Array.isArray(show.capabilities)
    ? (show.capabilities.filter((entry) => typeof entry === 'string' && known.has(entry)) as Capability[])
    : undefined;
  return {
    ...(contextWindow ? { contextWindow } : {}),
    ...(capabilities && capabilities.length > 0 ? { capabilities } : {}),
    ...(typeof details.family === 'string' && details.family ? { family: details.family } : architecture ? { family: architecture } : {}),
    ...(typeof details.parameter_size === 'string' && details.parameter_size ? { parameterSize: details.parameter_size } : {}),
  };
}

async function show(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext, model: string): Promise<ModelMetadata> {
  const stream = await openUpstream(context, {
    url: ollamaUrl(provider.baseUrl, '/api/show'),
    headers: ollamaHeaders(provider, key),
    body: JSON.stringify({ model }),
    providerLabel: provider.name,
    secrets: key ? [key.secret] : [],
  });
  return metadataFromShow((await readJson(stream)) as Record<string, unknown>);
}

export async function listOllamaModels(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Promise<DiscoveredModelInfo[]> {
  const stream = await openUpstream(context, {
    url: ollamaUrl(provider.baseUrl, '/api/tags'),
    headers: ollamaHeaders(provider, key),
    providerLabel: provider.name,
    secrets: key ? [key.secret] : [],
  });
  const json = (await readJson(stream)) as { models?: Array<Record<string, unknown>> };
  if (!Array.isArray(json.models)) throw new GatewayError('upstream_bad_response', 'The Ollama model list (/api/tags) has no models array');
  const names = json.models.map((entry) => entry.model ?? entry.name).filter((name): name is string => typeof name === 'string' && name !== '');
  const out: DiscoveredModelInfo[] = names.map((model) => ({ model, metadata: {} }));
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const entry = out[next++]!;
      try {
        entry.metadata = await show(provider, key, context, entry.model);
      } catch {
        // A model whose details fail to load is still usable; it just gets family defaults.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SHOW_CONCURRENCY, out.length) }, worker));
  return out;
}

/**
 * Where a Gemini request goes and how it authenticates. The key travels only in the
 * `x-goog-api-key` header, never as `?key=` (URLs end up in logs, history and error messages).
 * The base URL is accepted with or without its API version (`…googleapis.com` or
 * `…googleapis.com/v1beta`), since both forms appear in vendor docs and tools.
 */
import type { ProviderRecord } from '../../domain/provider.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import type { GeminiMethod } from '../../wire/gemini/endpoints.ts';
import type { ResolvedTarget } from '../types.ts';

const VERSION_SUFFIX = /\/v1(?:alpha|beta)?\d*$/;

/** `https://generativelanguage.googleapis.com[/v1beta][/]` → `…/v1beta` (no trailing slash). */
export function geminiApiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return VERSION_SUFFIX.test(trimmed) ? trimmed : `${trimmed}/v1beta`;
}

/** The resource name of a model: `models/gemini-2.5-flash`, or a tuned model kept as given. */
export function geminiModelResource(model: string): string {
  if (model.startsWith('models/') || model.startsWith('tunedModels/')) return model;
  return `models/${model}`;
}


export function geminiMethodUrl(baseUrl: string, model: string, method: GeminiMethod): string {
  // `models/<one segment>` or `tunedModels/<one segment>`: the name never adds a path level.
  const [collection, ...rest] = geminiModelResource(model).split('/');
  const resource = `${collection}/${pathSegment(rest.join('/'))}`;
  // alt=sse: without it the stream is one JSON array instead of SSE events (docs/wire-formats.md, "Gemini").
  return `${geminiApiRoot(baseUrl)}/${resource}:${method}${method === 'streamGenerateContent' ? '?alt=sse' : ''}`;
}

export function geminiHeaders(provider: ProviderRecord, key: ResolvedTarget['key'], accept = 'application/json'): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept,
    ...provider.headers,
    ...(key ? { 'x-goog-api-key': key.secret } : {}),
  };
}

export function secretsOf(key: ResolvedTarget['key']): string[] {
  return key ? [key.secret] : [];
}

/**
 * Vertex AI URLs (docs/wire-formats.md, "Vertex AI"): `{host}/v1/projects/{project}/locations/
 * {region}/publishers/{publisher}/models/{model}:{method}`, the host being
 * `https://{region}-aiplatform.googleapis.com`, or `https://aiplatform.googleapis.com` for the
 * `global` region. Claude models are published by `anthropic` (`:rawPredict` /
 * `:streamRawPredict`), everything else here by `google` (`:generateContent` /
 * `:streamGenerateContent?alt=sse`). A base URL that is not a Google host (a private endpoint, a
 * test double) is used as the host, as it is.
 */
import { optionsOf } from '../../domain/provider-kind.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { GatewayError } from '../../errors/codes.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import { VERTEX_OPTIONS } from './options.ts';

export const DEFAULT_REGION = 'us-central1';
/** What a preset and a provider with no host of its own use: derive the host from the region. */
export const VERTEX_DERIVED_BASE_URL = 'https://aiplatform.googleapis.com';
const GOOGLE_HOST = /^https:\/\/(?:[a-z0-9-]+-)?aiplatform\.googleapis\.com\/?$/;

export type Publisher = 'google' | 'anthropic';

export function publisherOf(model: string): Publisher {
  return /^claude/.test(model) ? 'anthropic' : 'google';
}

export function vertexRegion(provider: ProviderRecord): string {
  return optionsOf(provider, VERTEX_OPTIONS).region?.trim() || DEFAULT_REGION;
}

function host(provider: ProviderRecord, region: string): string {
  if (!GOOGLE_HOST.test(provider.baseUrl)) return provider.baseUrl.replace(/\/+$/, '');
  return region === 'global' ? 'https://aiplatform.googleapis.com' : `https://${region}-aiplatform.googleapis.com`;
}

/** `@` (Claude's `claude-…@20250929` versions) is a legal path character and is kept readable. */
export function vertexModelUrl(provider: ProviderRecord, projectFromKey: string | undefined, model: string, stream: boolean): string {
  const project = optionsOf(provider, VERTEX_OPTIONS).project?.trim() || projectFromKey;
  if (!project) throw new GatewayError('invalid_request', 'The Vertex provider needs a project: set options.project or use a service-account key with project_id', { param: 'options.project' });
  const region = vertexRegion(provider);
  const publisher = publisherOf(model);
  const method = publisher === 'anthropic' ? (stream ? 'streamRawPredict' : 'rawPredict') : stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return `${host(provider, region)}/v1/projects/${pathSegment(project)}/locations/${pathSegment(region)}/publishers/${publisher}/models/${pathSegment(model).replace(/%40/g, '@')}:${method}`;
}

/**
 * Where a Bedrock provider's calls go. The runtime host (Converse, ConverseStream) is
 * `https://bedrock-runtime.{region}.amazonaws.com` and the control plane (ListFoundationModels)
 * `https://bedrock.{region}.amazonaws.com`, both derived from `options.region`. A base URL that
 * is not an AWS host (a VPC endpoint, a test double) is used for both, as it is.
 */
import { optionsOf } from '../../domain/provider-kind.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { BEDROCK_OPTIONS } from './options.ts';

export const DEFAULT_REGION = 'us-east-1';
/** What a preset and a provider with no base URL of its own use: derive both hosts from the region. */
export const BEDROCK_DERIVED_BASE_URL = 'https://bedrock-runtime.amazonaws.com';

const AWS_HOST = /^https:\/\/bedrock(?:-runtime)?(?:\.([a-z0-9-]+))?\.amazonaws\.com\/?$/;

export function bedrockRegion(provider: ProviderRecord): string {
  const option = optionsOf(provider, BEDROCK_OPTIONS).region?.trim();
  if (option) return option;
  return AWS_HOST.exec(provider.baseUrl)?.[1] ?? DEFAULT_REGION;
}

function base(provider: ProviderRecord, host: 'bedrock-runtime' | 'bedrock'): string {
  if (!AWS_HOST.test(provider.baseUrl)) return provider.baseUrl.replace(/\/+$/, '');
  return `https://${host}.${bedrockRegion(provider)}.amazonaws.com`;
}

/**
 * The model id is one encoded path segment: ids carry `:` (`anthropic.claude-…-v1:0`) and
 * inference-profile ARNs carry `/`, which the encoding keeps inside the segment.
 */
export function converseUrl(provider: ProviderRecord, model: string, stream: boolean): URL {
  return new URL(`${base(provider, 'bedrock-runtime')}/model/${encodeURIComponent(model)}/${stream ? 'converse-stream' : 'converse'}`);
}

export function foundationModelsUrl(provider: ProviderRecord): URL {
  return new URL(`${base(provider, 'bedrock')}/foundation-models`);
}

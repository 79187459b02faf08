/**
 * Discovery through ListFoundationModels (`GET /foundation-models` on the control-plane host,
 * signed like the runtime calls): the region's catalogue changes often and differs per region,
 * so a static list would be wrong somewhere. Text models that run on demand are listed by their
 * id; those offered only through a cross-region inference profile are listed under the profile
 * id (`us.…`, `eu.…`, `apac.…`), which is what Converse then takes. Embedding models are listed as
 * such (Converse cannot call them; an alias can send them elsewhere).
 */
import type { Capability } from '../../domain/model-metadata.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { GatewayError } from '../../errors/codes.ts';
import { readJson } from '../../upstream/open-upstream.ts';
import type { DiscoveredModelInfo, ResolvedTarget, UpstreamContext } from '../types.ts';
import { authorize, bedrockSecrets, parseBedrockKey } from './credentials.ts';
import { bedrockRegion, foundationModelsUrl } from './endpoint.ts';
import { openBedrock } from './errors.ts';

interface ModelSummary {
  modelId?: unknown;
  inputModalities?: unknown;
  outputModalities?: unknown;
  inferenceTypesSupported?: unknown;
  modelLifecycle?: { status?: unknown };
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** The geography prefix of cross-region inference profiles for a region. */
export function profilePrefix(region: string): string {
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('ap-')) return 'apac';
  return region.split('-')[0] ?? 'us';
}

export function modelsFromSummaries(summaries: ModelSummary[], region: string): DiscoveredModelInfo[] {
  const found: DiscoveredModelInfo[] = [];
  for (const summary of summaries) {
    if (typeof summary.modelId !== 'string' || summary.modelLifecycle?.status === 'LEGACY') continue;
    const outputs = list(summary.outputModalities);
    const inference = list(summary.inferenceTypesSupported);
    const capabilities: Capability[] = [];
    if (outputs.includes('EMBEDDING')) capabilities.push('embedding');
    else if (outputs.includes('TEXT')) capabilities.push('completion', 'tools');
    else continue; // image and video generators: no chat or embeddings here.
    if (list(summary.inputModalities).includes('IMAGE') && !capabilities.includes('embedding')) capabilities.push('vision');
    const model = inference.includes('ON_DEMAND') || !inference.includes('INFERENCE_PROFILE') ? summary.modelId : `${profilePrefix(region)}.${summary.modelId}`;
    found.push({ model, metadata: { capabilities } });
  }
  return found;
}

export async function listBedrockModels(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Promise<DiscoveredModelInfo[]> {
  if (!key) throw new GatewayError('no_provider_key', 'Bedrock needs AWS credentials or a Bedrock API key to list models');
  const url = foundationModelsUrl(provider);
  const region = bedrockRegion(provider);
  const headers = await authorize(parseBedrockKey(key.secret), region, { method: 'GET', url, headers: { accept: 'application/json', ...provider.headers } });
  const stream = await openBedrock(context, { url, method: 'GET', headers, providerLabel: provider.name, secrets: bedrockSecrets(key.secret) });
  const json = (await readJson(stream)) as { modelSummaries?: ModelSummary[] };
  if (!Array.isArray(json.modelSummaries)) throw new GatewayError('upstream_bad_response', 'The Bedrock foundation-models answer has no modelSummaries array');
  return modelsFromSummaries(json.modelSummaries, region);
}

/**
 * Azure model discovery. The v1 surface lists the resource's models at GET /openai/v1/models;
 * the classic surface has no data-plane listing of deployments, so it offers the model names
 * configured in `options.deployments`. Configured names are always listed (on v1 too), since
 * they are what the user said exists.
 */
import type { Capability } from '../../domain/model-metadata.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { readJson } from '../../upstream/open-upstream.ts';
import type { DiscoveredModelInfo, ResolvedTarget, UpstreamContext } from '../types.ts';
import { openAzure } from './errors.ts';
import { azureHeaders, isV1BaseUrl, secretsOf } from './surface.ts';
import { optionsOf } from '../../domain/provider-kind.ts';
import { AZURE_OPENAI_OPTIONS } from './options.ts';

interface AzureModelEntry {
  id?: unknown;
  capabilities?: { chat_completion?: boolean; completion?: boolean; embeddings?: boolean };
}

function capabilitiesOf(entry: AzureModelEntry): Capability[] | undefined {
  const caps = entry.capabilities;
  if (!caps) return undefined;
  const out: Capability[] = [];
  if (caps.chat_completion || caps.completion) out.push('completion');
  if (caps.embeddings) out.push('embedding');
  return out.length > 0 ? out : undefined;
}

export async function listAzureModels(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Promise<DiscoveredModelInfo[]> {
  const configured = Object.keys(optionsOf(provider, AZURE_OPENAI_OPTIONS).deployments ?? {});
  const found = new Map<string, DiscoveredModelInfo>(configured.map((model) => [model, { model, metadata: {} }]));
  if (isV1BaseUrl(provider.baseUrl)) {
    const stream = await openAzure(context, {
      url: `${provider.baseUrl.replace(/\/+$/, '')}/models`,
      headers: azureHeaders(provider, key),
      providerLabel: provider.name,
      secrets: secretsOf(key),
    });
    const json = (await readJson(stream)) as { data?: AzureModelEntry[] };
    if (!Array.isArray(json.data)) throw new GatewayError('upstream_bad_response', 'The Azure models list has no data array');
    for (const entry of json.data) {
      if (typeof entry.id !== 'string' || found.has(entry.id)) continue;
      const capabilities = capabilitiesOf(entry);
      found.set(entry.id, { model: entry.id, metadata: capabilities ? { capabilities } : {} });
    }
  }
  return [...found.values()];
}

/**
 * Gemini model discovery: GET /v1beta/models (paged by `nextPageToken`). Only models that can
 * chat (`generateContent`) or embed (`embedContent`) are listed, under their bare id
 * (`models/gemini-2.5-flash` → `gemini-2.5-flash`), with their token limits as metadata.
 */
import type { Capability, ModelMetadata } from '../../domain/model-metadata.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { readJson } from '../../upstream/open-upstream.ts';
import type { DiscoveredModelInfo, ResolvedTarget, UpstreamContext } from '../types.ts';
import { geminiApiRoot, geminiHeaders, secretsOf } from './endpoint.ts';
import { openGemini } from './errors.ts';

const MAX_PAGES = 10;

interface GeminiModel {
  name?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
  thinking?: boolean;
}

export function toDiscoveredModel(entry: GeminiModel): DiscoveredModelInfo | null {
  if (typeof entry.name !== 'string') return null;
  const methods = entry.supportedGenerationMethods ?? [];
  const chats = methods.includes('generateContent');
  const embeds = methods.includes('embedContent') || methods.includes('batchEmbedContents');
  if (!chats && !embeds) return null;
  const model = entry.name.replace(/^models\//, '');
  const capabilities: Capability[] = [];
  if (chats) capabilities.push('completion');
  // Gemini chat models take function calls and images; Gemma and other open models may not.
  if (chats && model.startsWith('gemini')) capabilities.push('tools', 'vision');
  if (chats && entry.thinking === true) capabilities.push('thinking');
  if (embeds) capabilities.push('embedding');
  const metadata: ModelMetadata = { capabilities };
  if (typeof entry.inputTokenLimit === 'number' && entry.inputTokenLimit > 0) metadata.contextWindow = entry.inputTokenLimit;
  if (typeof entry.outputTokenLimit === 'number' && entry.outputTokenLimit > 0) metadata.maxOutputTokens = entry.outputTokenLimit;
  return { model, metadata };
}

export async function listGeminiModels(provider: ProviderRecord, key: ResolvedTarget['key'], context: UpstreamContext): Promise<DiscoveredModelInfo[]> {
  const found: DiscoveredModelInfo[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    const stream = await openGemini(context, {
      url: `${geminiApiRoot(provider.baseUrl)}/models?${query}`,
      headers: geminiHeaders(provider, key),
      providerLabel: provider.name,
      secrets: secretsOf(key),
    });
    const json = (await readJson(stream)) as { models?: GeminiModel[]; nextPageToken?: string };
    // Google's JSON omits empty repeated fields: no `models` means an empty page.
    if (json.models !== undefined && !Array.isArray(json.models)) throw new GatewayError('upstream_bad_response', 'The Gemini models list has no models array');
    for (const entry of json.models ?? []) {
      const model = toDiscoveredModel(entry);
      if (model) found.push(model);
    }
    pageToken = json.nextPageToken || undefined;
    if (!pageToken) break;
  }
  return found;
}

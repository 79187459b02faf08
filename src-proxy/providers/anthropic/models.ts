/**
 * Model discovery at an Anthropic upstream: GET /v1/models, paged with `after_id` while
 * `has_more`. The list reports `max_input_tokens` / `max_tokens`, which become the context window
 * and the default max_tokens of translated requests.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { openUpstream, readJson } from '../../upstream/open-upstream.ts';
import type { DiscoveredModelInfo, UpstreamContext } from '../types.ts';

const MAX_PAGES = 10;

export async function listAnthropicModels(
  provider: ProviderRecord,
  headers: Record<string, string>,
  context: UpstreamContext,
  secrets: string[],
): Promise<DiscoveredModelInfo[]> {
  const base = provider.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const out: DiscoveredModelInfo[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`;
    const { 'content-type': _ignored, ...getHeaders } = headers;
    const json = (await readJson(await openUpstream(context, { url: `${base}/v1/models${query}`, headers: getHeaders, providerLabel: provider.name, secrets }))) as {
      data?: Array<Record<string, unknown>>;
      has_more?: boolean;
      last_id?: string | null;
    };
    if (!Array.isArray(json.data)) throw new GatewayError('upstream_bad_response', 'The models list has no data array');
    for (const entry of json.data) {
      if (typeof entry.id !== 'string') continue;
      out.push({
        model: entry.id,
        metadata: {
          ...(typeof entry.max_input_tokens === 'number' && entry.max_input_tokens > 0 ? { contextWindow: entry.max_input_tokens } : {}),
          ...(typeof entry.max_tokens === 'number' && entry.max_tokens > 0 ? { maxOutputTokens: entry.max_tokens } : {}),
        },
      });
    }
    if (!json.has_more || !json.last_id) break;
    after = json.last_id;
  }
  return out;
}

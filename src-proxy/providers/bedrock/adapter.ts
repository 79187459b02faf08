/**
 * AWS Bedrock provider (kind `bedrock`): chat through Converse / ConverseStream on
 * `bedrock-runtime.{region}.amazonaws.com`, discovery through ListFoundationModels. Every call is
 * signed (SigV4, AWS's signer) or carries a Bedrock API key (credentials.ts). There is no
 * same-dialect fast path (no front door speaks Converse) and no embeddings (Converse has none).
 */
import { createSignatureCache, type SignatureCache } from '../../canonical/signature-cache.ts';
import type { ThinkingPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { readJson } from '../../upstream/open-upstream.ts';
import type { ProviderAdapter } from '../types.ts';
import { converseResponseEvents } from './converse-events.ts';
import { buildConverseBody } from './converse-request.ts';
import { authorize, bedrockSecrets, parseBedrockKey } from './credentials.ts';
import { bedrockRegion, converseUrl } from './endpoint.ts';
import { openBedrock } from './errors.ts';
import { converseStreamEvents } from './event-stream.ts';
import { listBedrockModels } from './models.ts';

/** One adapter with its own cache of signed reasoning (the registry creates one per gateway). */
export function createBedrockAdapter(signatures: SignatureCache<readonly ThinkingPart[]> = createSignatureCache()): ProviderAdapter {
  return {
    kind: 'bedrock',
    // The id is sent as one percent-encoded path segment, so ARNs with "/" stay inside it.
    modelName: 'body',
    supportsNative: () => false,

    async chat(request, target, context) {
      if (!target.key) throw new GatewayError('no_provider_key', 'Bedrock needs AWS credentials or a Bedrock API key');
      const body = JSON.stringify(buildConverseBody(request, target, { signatures, note: context.note }));
      const url = converseUrl(target.provider, target.model, request.stream);
      const accept = request.stream ? 'application/vnd.amazon.eventstream' : 'application/json';
      const headers = await authorize(parseBedrockKey(target.key.secret), bedrockRegion(target.provider), {
        method: 'POST', url, body, headers: { 'content-type': 'application/json', accept, ...target.provider.headers },
      });
      const upstream = await openBedrock(context, { url, method: 'POST', headers, body, providerLabel: target.provider.name, secrets: bedrockSecrets(target.key.secret) });
      const dispose = () => upstream.response.dispose();
      if (request.stream) return { events: converseStreamEvents(upstream.body, signatures), dispose };
      const events = converseResponseEvents((await readJson(upstream)) as Record<string, unknown>, signatures);
      return { events: (async function* () { yield* events; })(), dispose };
    },

    embed() {
      return Promise.reject(new GatewayError('unsupported_feature', 'The Bedrock provider speaks Converse, which has no embeddings; route embeddings to another provider'));
    },

    forward() {
      return Promise.reject(new GatewayError('internal_error', 'Bedrock has no same-dialect fast path'));
    },

    listModels: listBedrockModels,
  };
}

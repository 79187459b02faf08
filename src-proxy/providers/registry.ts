/**
 * The provider kinds this build can call. Adding a kind = one folder + one line in
 * PROVIDER_SPOKES; its label, options, presets, error shape and adapter come from its own
 * declaration (providers/<kind>/index.ts).
 */
import { describeIssues, formatIssuePath } from '../domain/validation.ts';
import { optionsSchemaOf } from '../domain/provider-kind.ts';
import type { ProviderInput } from '../domain/provider.ts';
import { GatewayError } from '../errors/codes.ts';
import { anthropicProvider } from './anthropic/index.ts';
import { azureOpenAiProvider } from './azure-openai/index.ts';
import { bedrockProvider } from './bedrock/index.ts';
import { geminiProvider } from './gemini/index.ts';
import { ollamaProvider } from './ollama/index.ts';
import { openAiProvider } from './openai/index.ts';
import { vertexProvider } from './vertex/index.ts';
import type { ProviderAdapter, ProviderCatalog, ProviderSpoke } from './types.ts';

export const PROVIDER_SPOKES = [openAiProvider, anthropicProvider, geminiProvider, ollamaProvider, azureOpenAiProvider, bedrockProvider, vertexProvider] as const;

export type ProviderKind = (typeof PROVIDER_SPOKES)[number]['kind'];

/** One gateway's providers: each spoke's adapter is created here, once, with its own caches. */
export function createProviderCatalog(spokes: readonly ProviderSpoke[] = PROVIDER_SPOKES): ProviderCatalog {
  const byKind = new Map(spokes.map((spoke) => [spoke.kind, spoke]));
  if (byKind.size !== spokes.length) throw new Error('Two provider spokes share a kind');
  const adapters = new Map<string, ProviderAdapter>(spokes.map((spoke) => [spoke.kind, spoke.createAdapter()]));
  const optionSchemas = new Map(spokes.map((spoke) => [spoke.kind, optionsSchemaOf(spoke.options)]));
  const kinds = spokes.map((spoke) => spoke.kind);

  return {
    kinds,
    spoke: (kind) => byKind.get(kind),
    adapter: (kind) => adapters.get(kind),
    describe: () =>
      spokes.map((spoke) => ({ kind: spoke.kind, label: spoke.label, options: spoke.options, keyOptional: spoke.keyOptional === true, presets: spoke.presets, ...(spoke.keyForm ? { keyForm: spoke.keyForm } : {}) })),
    check(input: ProviderInput): ProviderInput {
      const schema = optionSchemas.get(input.kind);
      if (!schema) {
        throw new GatewayError('invalid_request', `Provider kind "${input.kind}" does not exist here; use one of: ${kinds.join(', ')}`, { param: 'kind' });
      }
      if (input.options === undefined) return input;
      const parsed = schema.safeParse(input.options);
      if (parsed.success) return { ...input, options: parsed.data };
      const issue = parsed.error.issues[0];
      const param = formatIssuePath(['options', ...(issue?.path ?? [])]);
      throw new GatewayError('invalid_request', `Options of a "${input.kind}" provider: ${describeIssues(parsed.error, ['options']).join('; ')}`, { param });
    },
  };
}

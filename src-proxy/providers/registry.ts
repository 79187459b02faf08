/**
 * The provider kinds this build can call. Adding a kind = one folder + one line here.
 */
import type { ProviderKind } from '../domain/provider.ts';
import { anthropicAdapter } from './anthropic/adapter.ts';
import { azureOpenaiAdapter } from './azure-openai/adapter.ts';
import { geminiAdapter } from './gemini/adapter.ts';
import { ollamaAdapter } from './ollama/adapter.ts';
import { openAiAdapter } from './openai/adapter.ts';
import type { ProviderAdapter } from './types.ts';

const ADAPTERS: readonly ProviderAdapter[] = [openAiAdapter, anthropicAdapter, geminiAdapter, ollamaAdapter, azureOpenaiAdapter];

export function createAdapterRegistry(): Map<ProviderKind, ProviderAdapter> {
  return new Map(ADAPTERS.map((adapter) => [adapter.kind, adapter]));
}

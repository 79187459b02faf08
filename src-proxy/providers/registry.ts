/**
 * The provider kinds this build can call. Adding a kind = one folder + one line here.
 */
import type { ProviderKind } from '../canonical/types.ts';
import { openAiAdapter } from './openai/adapter.ts';
import type { ProviderAdapter } from './types.ts';

export function createAdapterRegistry(): Map<ProviderKind, ProviderAdapter> {
  return new Map<ProviderKind, ProviderAdapter>([[openAiAdapter.kind, openAiAdapter]]);
}

/** Anthropic Messages (kind `anthropic`): api.anthropic.com or a compatible gateway. */
import { CLOUD_CHAT_CAPABILITIES } from '../../domain/model-metadata.ts';
import type { ProviderSpoke } from '../types.ts';
import { ANTHROPIC_OPTIONS } from './options.ts';
import { createAnthropicAdapter } from './adapter.ts';

export const anthropicProvider = {
  kind: 'anthropic',
  label: 'Anthropic',
  options: ANTHROPIC_OPTIONS,
  errorShape: 'anthropic',
  // Thinking signatures (and redacted thinking) must come back to Anthropic unmodified.
  signsReasoning: true,
  unknownModelCapabilities: CLOUD_CHAT_CAPABILITIES,
  presets: [
    {
      id: 'anthropic', name: 'Anthropic', baseUrl: 'https://api.anthropic.com', needsKey: true, group: 'hosted',
      keyHint: 'An API key starting with sk-ant-', keyUrl: 'https://console.anthropic.com/settings/keys',
    },
  ],
  createAdapter: createAnthropicAdapter,
} as const satisfies ProviderSpoke;

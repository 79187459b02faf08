/** Google Gemini (kind `gemini`): the Generative Language API, key in `x-goog-api-key`. */
import { CLOUD_CHAT_CAPABILITIES } from '../../domain/model-metadata.ts';
import type { ProviderSpoke } from '../types.ts';
import { createGeminiAdapter } from './adapter.ts';

export const geminiProvider = {
  kind: 'gemini',
  label: 'Gemini',
  options: [],
  errorShape: 'gemini',
  // Thought signatures: Gemini 3 refuses a function call of its own that comes back without one.
  signsReasoning: true,
  unknownModelCapabilities: CLOUD_CHAT_CAPABILITIES,
  presets: [
    {
      id: 'gemini', name: 'Google Gemini', baseUrl: 'https://generativelanguage.googleapis.com', needsKey: true, group: 'hosted',
      keyHint: 'A Gemini API key starting with AIza', keyUrl: 'https://aistudio.google.com/app/apikey',
    },
  ],
  createAdapter: createGeminiAdapter,
} as const satisfies ProviderSpoke;

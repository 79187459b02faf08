import type { ProviderInput } from '../../../src-proxy/control/contract.ts';

export interface ProviderPreset {
  /** Suggested provider id (first part of provider/model addresses). */
  id: string;
  name: string;
  kind: ProviderInput['kind'];
  baseUrl: string;
  /** Local servers usually run without a key. */
  needsKey: boolean;
  /** A word on what to fill in, when the base URL alone is not enough. */
  note?: string;
  options?: ProviderInput['options'];
}

/** Known providers with their base URLs, so adding one is choosing it and pasting a key. */
export const PROVIDER_PRESETS: ProviderPreset[] = [
  // OpenAI offers /v1/responses: Responses clients (Codex) take the same-dialect fast path there.
  { id: 'openai', name: 'OpenAI', kind: 'openai', baseUrl: 'https://api.openai.com/v1', needsKey: true, options: { supportsResponses: true } },
  { id: 'openrouter', name: 'OpenRouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true },
  { id: 'anthropic', name: 'Anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', needsKey: true },
  { id: 'gemini', name: 'Google Gemini', kind: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', needsKey: true },
  {
    id: 'azure', name: 'Azure OpenAI', kind: 'azure-openai', baseUrl: 'https://{resource}.openai.azure.com', needsKey: true,
    note: 'Replace {resource} with your Azure resource name; map model names to deployment names after adding.',
    options: { apiVersion: '2024-10-21' },
  },
  { id: 'groq', name: 'Groq', kind: 'openai', baseUrl: 'https://api.groq.com/openai/v1', needsKey: true },
  { id: 'deepseek', name: 'DeepSeek', kind: 'openai', baseUrl: 'https://api.deepseek.com/v1', needsKey: true },
  { id: 'mistral', name: 'Mistral', kind: 'openai', baseUrl: 'https://api.mistral.ai/v1', needsKey: true },
  { id: 'together', name: 'Together', kind: 'openai', baseUrl: 'https://api.together.xyz/v1', needsKey: true },
  { id: 'xai', name: 'xAI', kind: 'openai', baseUrl: 'https://api.x.ai/v1', needsKey: true },
  { id: 'ollama', name: 'Ollama (local)', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434', needsKey: false,
    note: 'If Switchboard itself listens on 11434, move Ollama or Switchboard to another port.' },
  { id: 'lmstudio', name: 'LM Studio', kind: 'openai', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false },
  { id: 'custom', name: 'Custom (OpenAI-compatible)', kind: 'openai', baseUrl: 'https://', needsKey: false,
    note: 'Any server that speaks the OpenAI chat completions API; the base URL usually ends in /v1.' },
];

export const KIND_LABELS: Record<ProviderInput['kind'], string> = {
  openai: 'OpenAI-compatible',
  anthropic: 'Anthropic',
  gemini: 'Gemini',
  ollama: 'Ollama',
  'azure-openai': 'Azure OpenAI',
};

/** A free id near the wanted one: openai, openai-2, … */
export function suggestProviderId(wanted: string, taken: readonly string[]): string {
  if (!taken.includes(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.includes(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

/**
 * OpenAI-compatible upstreams (kind `openai`): OpenAI, OpenRouter, Groq, DeepSeek, Together,
 * Mistral, xAI, Fireworks, Cerebras, LM Studio, vLLM, a local Ollama's /v1 … Base URL as the OpenAI SDK takes it
 * (ending in /v1), bearer key, optional extra headers.
 */
import { CLOUD_CHAT_CAPABILITIES } from '../../domain/model-metadata.ts';
import type { ProviderSpoke } from '../types.ts';
import { OPENAI_OPTIONS } from './options.ts';
import { createOpenAiAdapter } from './adapter.ts';

export const openAiProvider = {
  kind: 'openai',
  label: 'OpenAI-compatible',
  options: OPENAI_OPTIONS,
  errorShape: 'openai',
  // Encrypted reasoning items of the Responses API come back to OpenAI as they were issued.
  signsReasoning: true,
  unknownModelCapabilities: CLOUD_CHAT_CAPABILITIES,
  presets: [
    // OpenAI offers /v1/responses: Responses clients (Codex) take the same-dialect fast path there.
    {
      id: 'openai', name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, group: 'hosted', options: { supportsResponses: true },
      keyHint: 'A secret key starting with sk-', keyUrl: 'https://platform.openai.com/api-keys',
    },
    { id: 'openrouter', name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, group: 'hosted', keyHint: 'A key starting with sk-or-', keyUrl: 'https://openrouter.ai/settings/keys' },
    { id: 'groq', name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', needsKey: true, group: 'hosted', keyHint: 'A key starting with gsk_', keyUrl: 'https://console.groq.com/keys' },
    { id: 'deepseek', name: 'DeepSeek', baseUrl: 'https://api.deepseek.com/v1', needsKey: true, group: 'hosted', keyHint: 'A key starting with sk-', keyUrl: 'https://platform.deepseek.com/api_keys' },
    { id: 'mistral', name: 'Mistral', baseUrl: 'https://api.mistral.ai/v1', needsKey: true, group: 'hosted', keyHint: 'A La Plateforme API key', keyUrl: 'https://console.mistral.ai/api-keys' },
    { id: 'xai', name: 'xAI', baseUrl: 'https://api.x.ai/v1', needsKey: true, group: 'hosted', keyHint: 'A key starting with xai-', keyUrl: 'https://console.x.ai' },
    { id: 'together', name: 'Together', baseUrl: 'https://api.together.xyz/v1', needsKey: true, group: 'hosted', keyHint: 'A Together API key', keyUrl: 'https://api.together.ai/settings/api-keys' },
    { id: 'fireworks', name: 'Fireworks', baseUrl: 'https://api.fireworks.ai/inference/v1', needsKey: true, group: 'hosted', keyHint: 'A key starting with fw_', keyUrl: 'https://fireworks.ai/account/api-keys' },
    { id: 'cerebras', name: 'Cerebras', baseUrl: 'https://api.cerebras.ai/v1', needsKey: true, group: 'hosted', keyHint: 'A key starting with csk-', keyUrl: 'https://cloud.cerebras.ai/platform' },
    {
      id: 'lmstudio', name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false, group: 'local',
      keyHint: 'No key: start the server in LM Studio (Developer → Start server)', keyUrl: 'https://lmstudio.ai/docs/app/api',
    },
    {
      id: 'vllm', name: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', needsKey: false, group: 'local',
      keyHint: 'No key, unless the server was started with --api-key (then that value)', keyUrl: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
    },
    {
      id: 'custom', name: 'Custom (OpenAI-compatible)', baseUrl: 'https://', needsKey: false, group: 'custom',
      keyHint: 'The key that server expects, if any', keyUrl: 'https://platform.openai.com/docs/api-reference/chat',
      note: 'Any server that speaks the OpenAI chat completions API; the base URL usually ends in /v1.',
    },
  ],
  createAdapter: createOpenAiAdapter,
} as const satisfies ProviderSpoke;

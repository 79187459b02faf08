/**
 * OpenAI-compatible upstreams (kind `openai`): OpenAI, OpenRouter, Groq, DeepSeek, Together,
 * Mistral, xAI, LM Studio, vLLM, a local Ollama's /v1 … Base URL as the OpenAI SDK takes it
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
    { id: 'openai', name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true, options: { supportsResponses: true } },
    { id: 'openrouter', name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true },
    { id: 'groq', name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', needsKey: true },
    { id: 'deepseek', name: 'DeepSeek', baseUrl: 'https://api.deepseek.com/v1', needsKey: true },
    { id: 'mistral', name: 'Mistral', baseUrl: 'https://api.mistral.ai/v1', needsKey: true },
    { id: 'together', name: 'Together', baseUrl: 'https://api.together.xyz/v1', needsKey: true },
    { id: 'xai', name: 'xAI', baseUrl: 'https://api.x.ai/v1', needsKey: true },
    { id: 'lmstudio', name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false },
    {
      id: 'custom', name: 'Custom (OpenAI-compatible)', baseUrl: 'https://', needsKey: false,
      note: 'Any server that speaks the OpenAI chat completions API; the base URL usually ends in /v1.',
    },
  ],
  createAdapter: createOpenAiAdapter,
} as const satisfies ProviderSpoke;

/** A local (or remote) Ollama server (kind `ollama`): its native /api routes, no key needed. */
import type { ProviderSpoke } from '../types.ts';
import { createOllamaAdapter } from './adapter.ts';

export const ollamaProvider = {
  kind: 'ollama',
  label: 'Ollama',
  options: [],
  keyOptional: true,
  errorShape: 'ollama',
  signsReasoning: false,
  presets: [
    {
      id: 'ollama', name: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434', needsKey: false, group: 'local',
      keyHint: 'No key: a local Ollama needs none', keyUrl: 'https://ollama.com/download',
      note: 'If Switchboard itself listens on 11434, move Ollama or Switchboard to another port.',
    },
  ],
  createAdapter: createOllamaAdapter,
} as const satisfies ProviderSpoke;

import { presentedToken } from '../../security/client-token.ts';
import type { Dialect } from '../types.ts';
import { renderOllamaError, OLLAMA_ERROR_SHAPE } from './errors.ts';
import { registerOllamaRoutes } from './routes.ts';

/** Ollama's API (`/api/*`): VS Code Copilot's Ollama provider, JetBrains AI Assistant, Open WebUI, the ollama SDKs. */
export const ollamaDialect = {
  name: 'ollama',
  pathPrefixes: ['/api/'],
  endpoint: { label: 'Ollama', path: '' },
  errorShape: OLLAMA_ERROR_SHAPE,
  // Ollama's clients send no key: its routes rely on the loopback, Host, Origin and JSON checks.
  clientToken: ({ headers }) => presentedToken(headers),
  renderError: renderOllamaError,
  register: registerOllamaRoutes,
} as const satisfies Dialect;

import type { Dialect } from '../types.ts';
import { renderOllamaError } from './errors.ts';
import { registerOllamaRoutes } from './routes.ts';

export const ollamaDialect: Dialect = {
  name: 'ollama',
  renderError: renderOllamaError,
  register: registerOllamaRoutes,
};

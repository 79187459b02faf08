import { presentedToken } from '../../security/client-token.ts';
import type { Dialect } from '../types.ts';
import { renderOpenAiError, OPENAI_ERROR_SHAPE } from './errors.ts';
import { registerOpenAiRoutes } from './routes.ts';

/** OpenAI Chat Completions, completions, embeddings and models (`/v1/*`): most tools and SDKs. */
export const openAiDialect = {
  name: 'openai',
  pathPrefixes: ['/v1/'],
  endpoint: { label: 'OpenAI', path: '/v1' },
  errorShape: OPENAI_ERROR_SHAPE,
  clientToken: ({ headers }) => presentedToken(headers),
  renderError: renderOpenAiError,
  register: registerOpenAiRoutes,
} as const satisfies Dialect;

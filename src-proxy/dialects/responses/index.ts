import { presentedToken } from '../../security/client-token.ts';
import type { Dialect } from '../types.ts';
import { renderResponsesError, RESPONSES_ERROR_SHAPE } from './errors.ts';
import { registerResponsesRoutes } from './routes.ts';

/** OpenAI Responses (`/v1/responses`): Codex CLI's only wire API; its base URL is OpenAI's. */
export const responsesDialect = {
  name: 'responses',
  pathPrefixes: ['/v1/responses'],
  errorShape: RESPONSES_ERROR_SHAPE,
  clientToken: ({ headers }) => presentedToken(headers),
  renderError: renderResponsesError,
  register: registerResponsesRoutes,
} as const satisfies Dialect;

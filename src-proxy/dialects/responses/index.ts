import type { Dialect } from '../types.ts';
import { renderResponsesError } from './errors.ts';
import { registerResponsesRoutes } from './routes.ts';

/** OpenAI Responses API (`/v1/responses`): Codex CLI's only wire API. See DESIGN.md. */
export const responsesDialect: Dialect = {
  name: 'responses',
  renderError: renderResponsesError,
  register: registerResponsesRoutes,
};

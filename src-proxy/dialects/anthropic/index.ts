import type { Dialect } from '../types.ts';
import { renderAnthropicError } from './errors.ts';
import { registerAnthropicRoutes } from './routes.ts';

export const anthropicDialect: Dialect = {
  name: 'anthropic',
  renderError: renderAnthropicError,
  register: registerAnthropicRoutes,
};

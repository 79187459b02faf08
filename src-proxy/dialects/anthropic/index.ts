import { presentedToken } from '../../security/client-token.ts';
import type { Dialect } from '../types.ts';
import { renderAnthropicError, ANTHROPIC_ERROR_SHAPE } from './errors.ts';
import { registerAnthropicRoutes } from './routes.ts';

/** Anthropic Messages (`/v1/messages`, count_tokens): Claude Code and the Anthropic SDKs. */
export const anthropicDialect = {
  name: 'anthropic',
  pathPrefixes: ['/v1/messages'],
  endpoint: { label: 'Anthropic', path: '' },
  errorShape: ANTHROPIC_ERROR_SHAPE,
  clientToken: ({ headers }) => presentedToken(headers),
  renderError: renderAnthropicError,
  register: registerAnthropicRoutes,
} as const satisfies Dialect;

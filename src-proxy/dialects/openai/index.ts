import type { Dialect } from '../types.ts';
import { renderOpenAiError } from './errors.ts';
import { registerOpenAiRoutes } from './routes.ts';

export const openAiDialect: Dialect = {
  name: 'openai',
  renderError: renderOpenAiError,
  register: registerOpenAiRoutes,
};

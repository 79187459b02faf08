/**
 * The inbound dialects this build serves. Adding a dialect = one folder + one line here.
 */
import type { DialectName } from '../canonical/types.ts';
import { anthropicDialect } from './anthropic/index.ts';
import { ollamaDialect } from './ollama/index.ts';
import { openAiDialect } from './openai/index.ts';
import { responsesDialect } from './responses/index.ts';
import type { Dialect } from './types.ts';

export const DIALECTS: readonly Dialect[] = [openAiDialect, ollamaDialect, anthropicDialect, responsesDialect];

export function dialectByName(name: DialectName | undefined): Dialect {
  return DIALECTS.find((dialect) => dialect.name === name) ?? openAiDialect;
}

/** For requests that matched no route: pick the error shape the caller most likely reads. */
export function dialectForPath(url: string): Dialect {
  const path = url.split('?', 1)[0] ?? '';
  if (path.startsWith('/api/') || path === '/api') return dialectByName('ollama');
  if (path.startsWith('/v1/messages')) return dialectByName('anthropic');
  if (path.startsWith('/v1/responses')) return dialectByName('responses');
  return openAiDialect;
}

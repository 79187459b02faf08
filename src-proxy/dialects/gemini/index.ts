import type { IncomingHttpHeaders } from 'node:http';
import { presentedToken } from '../../security/client-token.ts';
import type { Dialect } from '../types.ts';
import { GEMINI_ERROR_SHAPE, renderGeminiError } from './errors.ts';
import { registerGeminiRoutes } from './routes.ts';

/** Gemini clients put their key in `x-goog-api-key` (the SDK, Gemini CLI) or in `?key=`. */
function geminiClientToken({ headers, query }: { headers: IncomingHttpHeaders; query: unknown }): string | null {
  const header = headers['x-goog-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const key = query !== null && typeof query === 'object' ? (query as { key?: unknown }).key : undefined;
  if (typeof key === 'string' && key.trim() !== '') return key.trim();
  return presentedToken(headers);
}

/** The Gemini API (`/v1beta/models…`): Gemini CLI and the @google/genai SDK. */
export const geminiDialect = {
  name: 'gemini',
  pathPrefixes: ['/v1beta/'],
  endpoint: { label: 'Gemini', path: '' },
  errorShape: GEMINI_ERROR_SHAPE,
  clientToken: geminiClientToken,
  renderError: renderGeminiError,
  register: registerGeminiRoutes,
} as const satisfies Dialect;

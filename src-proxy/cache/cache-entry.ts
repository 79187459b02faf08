/**
 * How one kept answer is stored in a database row (SQLite or the team store): the canonical
 * answer and who gave it as JSON text; times live in their own columns.
 */
import type { CacheRow } from '../store/types.ts';
import type { CachedAnswer } from './types.ts';

/** Bytes an entry costs beyond its body (key, columns, index), so tiny answers still count. */
const ROW_OVERHEAD_BYTES = 128;

/** The row for an answer, first used when it was made. */
export function cacheRowOf(key: string, cached: CachedAnswer): CacheRow {
  const entry = JSON.stringify({ answer: cached.answer, provider: cached.provider, model: cached.model });
  return { key, entry, bytes: Buffer.byteLength(entry) + ROW_OVERHEAD_BYTES, createdAt: cached.createdAt, expiresAt: cached.expiresAt, lastUsedAt: cached.createdAt };
}

export function cachedAnswerOf(row: CacheRow): CachedAnswer {
  const stored = JSON.parse(row.entry) as Pick<CachedAnswer, 'answer' | 'provider' | 'model'>;
  return { answer: stored.answer, provider: stored.provider, model: stored.model, createdAt: row.createdAt, expiresAt: row.expiresAt };
}

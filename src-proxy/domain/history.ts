/**
 * One request as recorded: the row every list shows, the full record the store keeps (and the
 * detail view returns), the query over them. Field names are part of `switchboard history --json`.
 */
import { z } from 'zod';
import type { CacheStatus } from './response-cache.ts';

export const historyQuerySchema = z
  .object({
    limit: z.number().int().min(1).max(1000).optional(),
    /** Cursor: rows strictly older than this (startedAt, id) pair. */
    before: z.object({ startedAt: z.number(), id: z.string() }).optional(),
    status: z.union([z.enum(['ok', 'error']), z.number().int()]).optional(),
    model: z.string().optional(),
    provider: z.string().optional(),
    client: z.string().optional(),
    dialect: z.string().optional(),
    from: z.number().optional(),
    to: z.number().optional(),
    /** Full-text search over captured bodies (and model / client names). */
    search: z.string().optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** One upstream call made for a request (or a target skipped before calling). */
export interface Attempt {
  provider: string;
  model: string;
  keyLabel: string | null;
  status: number | null;
  errorCode: string | null;
  durationMs: number;
}

export interface HistoryRow {
  id: string;
  startedAt: number;
  durationMs: number;
  ttftMs: number | null;
  dialect: string;
  endpoint: string;
  client: string;
  requestedModel: string | null;
  provider: string | null;
  upstreamModel: string | null;
  attempts: Attempt[];
  status: number;
  errorCode: string | null;
  stream: boolean;
  /** For a cache hit: the tokens the kept answer saved (nothing was billed). */
  inputTokens: number | null;
  outputTokens: number | null;
  /** How the response cache served it; null on routes that do not cache. */
  cache: CacheStatus | null;
}

/** One finished request as the recorder hands it to the store, and as the detail view reads it. */
export interface HistoryRecord extends HistoryRow {
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** Token counts that are estimates (count_tokens without an upstream answer). */
  estimated: boolean;
  errorMessage: string | null;
  /**
   * What Switchboard changed in the request that the user would care about, one sentence each
   * (max_tokens lowered to the model's limit, a thinking budget chosen, hosted tools dropped).
   */
  notes: string[];
  /** Request headers as the client sent them, secrets redacted (for "copy as curl"). */
  requestHeaders: Record<string, string> | null;
  /** Present when body capture was on for this request. Secrets are already redacted. */
  bodies: { clientRequest: string | null; upstreamRequest: string | null; response: string | null } | null;
}

export type HistoryDetail = HistoryRecord;

export interface HistoryPage {
  rows: HistoryRow[];
  /** Cursor for the next (older) page, null at the end. */
  next: { startedAt: number; id: string } | null;
  total: number;
}

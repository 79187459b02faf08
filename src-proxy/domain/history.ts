/**
 * One request as recorded: the row every list shows, the full record the store keeps (and the
 * detail view returns), the query over them. Field names are part of `switchboard history --json`.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import type { CacheStatus } from './response-cache.ts';
import type { LoopFinding } from './guardrails.ts';

export const historyQuerySchema = lazySchema(() =>
  z
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
      /** Rows of one session (x-session-id, or the id Switchboard derived). */
      session: z.string().min(1).max(200).optional(),
      /** Only rows where a loop detector found something. */
      loops: z.boolean().optional(),
    })
    .strict(),
);
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** Sessions, newest activity first. */
export const sessionsQuerySchema = lazySchema(() =>
  z
    .object({
      limit: z.number().int().min(1).max(500).optional(),
      from: z.number().optional(),
      to: z.number().optional(),
      client: z.string().optional(),
    })
    .strict(),
);
export type SessionsQuery = z.infer<typeof sessionsQuerySchema>;

/** One session as History groups it. */
export interface SessionSummary {
  session: string;
  client: string;
  firstAt: number;
  lastAt: number;
  requests: number;
  errors: number;
  /** Rows where a loop was found. */
  loops: number;
  inputTokens: number;
  outputTokens: number;
  /** Model names asked for, most used first (at most five). */
  models: string[];
}

/**
 * The dialect of rows the engine writes about itself rather than about a request (a provider's
 * circuit opened or closed): listed in History and told as desktop notifications, never counted
 * as requests or usage.
 */
export const ENGINE_EVENT_DIALECT = 'switchboard';

/** One upstream call made for a request (or a target skipped before calling). */
export interface Attempt {
  provider: string;
  model: string;
  keyLabel: string | null;
  status: number | null;
  errorCode: string | null;
  durationMs: number;
  /** The outbound proxy of the attempt, by scheme, host and port only; absent: direct. */
  proxy?: string;
  /**
   * The HTTP version the provider answered this attempt in (ALPN's names). Absent when no answer
   * came (a connect failure, a target skipped) and on rows written before it was recorded.
   */
  protocol?: UpstreamProtocol;
}

/** HTTP/2 or HTTP/1.1, by their ALPN names: providers[].http2 lets TLS choose (README, HTTP/2). */
export type UpstreamProtocol = 'h2' | 'http/1.1';

/**
 * What an attempt's answer came over, noted by the upstream call as the answer's head arrives and
 * read by the router into the attempt's entry. The exchange is it (no object per attempt).
 */
export interface AnswerNotes {
  upstreamProtocol: UpstreamProtocol | undefined;
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
  // Guardrails and routing (absent on rows written before them, and in records that set none).
  /** The session the request belongs to (header or derived); null for calls outside a conversation. */
  sessionId?: string | null;
  /** The alias rule that picked the targets ("#1 thinking"), when one matched. */
  routeRule?: string | null;
  /** What a loop detector found in this request's answer. */
  loop?: LoopFinding | null;
  /** In-chat commands this request applied (`model(gpt-4o)`); an answer with only commands never reached a provider. */
  commands?: string[] | null;
  /**
   * Estimated USD at the price table's current prices: 0 for a cache hit, null without a price
   * or tokens. Worked out by the control API when it lists rows; the store does not keep it.
   */
  costUsd?: number | null;
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
  /**
   * Where the request came from: the peer's address, or behind a trusted reverse proxy
   * (`--trust-proxy`) the client it names. Absent on engine events and on rows written before
   * the column existed.
   */
  clientAddress?: string | null;
  /** Present when body capture was on for this request. Secrets are already redacted. */
  bodies: CapturedBodies | null;
}

/**
 * The four legs of one captured request (the translation view): what the client sent, what went
 * upstream after translation, what the provider answered and what the client got. Bodies are
 * text, bounded (a cut one ends in `…[truncated]`); every header went through the one redaction list.
 */
export interface CapturedBodies {
  clientRequest: string | null;
  upstreamRequest: string | null;
  /** The provider's answer as read (JSON, or the raw stream text); null: no upstream call answered. */
  upstreamResponse?: string | null;
  response: string | null;
  /** The last upstream call: where it went, its status and both sides' headers. */
  upstream?: UpstreamLegRecord | null;
  /** The headers the client got (absent in rows recorded before they were kept). */
  responseHeaders?: Record<string, string> | null;
}

export interface UpstreamLegRecord {
  url: string;
  status: number | null;
  requestHeaders: Record<string, string> | null;
  responseHeaders: Record<string, string> | null;
}

export type HistoryDetail = HistoryRecord;

export interface HistoryPage {
  rows: HistoryRow[];
  /** Cursor for the next (older) page, null at the end. */
  next: { startedAt: number; id: string } | null;
  total: number;
}

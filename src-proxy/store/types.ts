/**
 * What the rest of the engine needs from the store. The SQLite implementation lives next to this
 * file (database.ts + repositories); tests and the router only see these interfaces.
 * Configuration reads are synchronous and cheap enough for the request path (SQLite reads the
 * file; the PostgreSQL store answers from its in-memory mirror); the router additionally caches
 * what it reads per request. History searches and reports may be asynchronous (`Awaitable`): the
 * PostgreSQL store asks the server, so callers await them (control routes, the CLI, taps).
 */
import type { AliasInfo, AliasInput, AliasUpdate } from '../domain/alias.ts';
import type { ClientTokenInfo, CreatedClientToken } from '../domain/client-token.ts';
import type { ClientGovernancePatch, SpendTotals } from '../domain/governance.ts';
import type { HistoryDetail, HistoryPage, HistoryQuery, HistoryRecord, HistoryRow, SessionSummary, SessionsQuery } from '../domain/history.ts';
import type { DiscoveredModel, ModelMetadata } from '../domain/model-metadata.ts';
import type { ManagedBy } from '../domain/ownership.ts';
import type { KeyInfo, ProviderInput, ProviderRecord, ProviderUpdate } from '../domain/provider.ts';
import type { Settings, SettingsPatch } from '../domain/settings.ts';
import type { Price, UsageQuery, UsageReport } from '../domain/usage.ts';
import type { PerformanceQuery, PerformanceReport } from '../domain/performance.ts';

/** A value now (SQLite) or later (PostgreSQL). */
export type Awaitable<T> = T | Promise<T>;

/** Encrypts secrets at rest. Headless: AES-256-GCM with a key file; desktop: Electron safeStorage. */
export interface SecretCipher {
  /** A short name shown in settings ("aes-256-gcm key file", "keychain", …). */
  readonly description: string;
  /** False when secrets must not be stored (e.g. Linux basic_text backend without opt-in). */
  isAvailable(): boolean;
  encrypt(plaintext: string): Buffer;
  /** Throws GatewayError('secret_unavailable') when the blob cannot be decrypted. */
  decrypt(ciphertext: Buffer): string;
}

/** A provider key with its secret, only ever handed to the upstream call. */
export interface ProviderKeySecret {
  id: number;
  label: string;
  enabled: boolean;
  /** Decrypts on demand; throws GatewayError('secret_unavailable'). */
  reveal(): string;
}

/** Fields to change on a provider; `newId` renames it. */
export type ProviderChanges = Omit<ProviderUpdate, 'id'>;
/** Fields to change on an alias; `newAlias` renames it. */
export type AliasChanges = Omit<AliasUpdate, 'alias'>;

export interface ProviderRepository {
  list(): ProviderRecord[];
  get(id: string): ProviderRecord | null;
  /** Throws GatewayError('already_exists', param 'id') when the id is taken. */
  create(input: ProviderInput, managedBy?: ManagedBy): ProviderRecord;
  /** Throws provider_not_found, or already_exists (param 'newId') for a taken new id. */
  update(id: string, changes: ProviderChanges): ProviderRecord;
  setManagedBy(id: string, managedBy: ManagedBy): void;
  delete(id: string): boolean;
  setLastError(id: string, message: string | null): void;
}

export interface KeyRepository {
  /** Masked view of keys of one provider (or all). */
  list(providerId?: string): KeyInfo[];
  get(keyId: number): KeyInfo | null;
  /** Keys with their secrets, in creation order. */
  secretsFor(providerId: string): ProviderKeySecret[];
  add(providerId: string, secret: string, label?: string, managedBy?: ManagedBy): KeyInfo;
  setManagedBy(keyId: number, managedBy: ManagedBy): void;
  replace(keyId: number, secret: string): KeyInfo;
  /** A new display label; the secret and its state are untouched. */
  rename(keyId: number, label: string): KeyInfo;
  setEnabled(keyId: number, enabled: boolean): KeyInfo;
  delete(keyId: number): boolean;
  recordUse(keyId: number, at: number): void;
  recordError(keyId: number, message: string | null, cooldownUntil: number | null): void;
  /** Plaintext of every key of a provider (export with secrets only). */
  revealAll(providerId: string): string[];
}

export interface AliasRepository {
  list(): AliasInfo[];
  get(alias: string): AliasInfo | null;
  /** Throws GatewayError('already_exists', param 'alias') when the name is taken. */
  create(input: AliasInput, managedBy?: ManagedBy): AliasInfo;
  /** Throws alias_not_found, or already_exists (param 'newAlias') for a taken new name. */
  update(alias: string, changes: AliasChanges): AliasInfo;
  setManagedBy(alias: string, managedBy: ManagedBy): void;
  delete(alias: string): boolean;
}

export interface ClientTokenRepository {
  list(): ClientTokenInfo[];
  get(id: string): ClientTokenInfo | null;
  /**
   * A stable name of the token's secret (a prefix of its SHA-256, never the secret): instances
   * configured with the same token share counters by it (shared limits), whatever their local ids.
   */
  fingerprint(id: string): string | null;
  /**
   * Creates a token; `token` given (from a config file, ≥16 chars) or generated (`sb-` + 43
   * base64url chars). Throws already_exists (param 'name') when a live token has the name.
   */
  create(name: string, token?: string, governance?: ClientGovernancePatch, managedBy?: ManagedBy): CreatedClientToken;
  /** Same name → replaces the token (config import); says whether it added, changed or kept it. */
  upsertByName(name: string, token: string, governance?: ClientGovernancePatch): { info: ClientTokenInfo; change: 'added' | 'changed' | 'none' };
  /** Changes what governs a live token (fields left out stay). */
  setGovernance(id: string, patch: ClientGovernancePatch): ClientTokenInfo;
  /** A new secret for the same client (same id, history and spend); the old one stops working. */
  rotate(id: string): CreatedClientToken;
  /** Throws client_token_not_found, or already_exists (param 'name'). */
  rename(id: string, name: string): ClientTokenInfo;
  setManagedBy(id: string, managedBy: ManagedBy): void;
  /** The plaintext of a live token, when it was stored encrypted; null otherwise. */
  reveal(id: string): string | null;
  revoke(id: string): boolean;
  /** Constant-time check of a presented token; returns the live token's info or null. */
  verify(presented: string): ClientTokenInfo | null;
  touch(id: string, at: number): void;
  /** Plaintext of every live token (export with secrets only). */
  revealAll(): Array<{ name: string; token: string }>;
  /** True when no token has ever been created (first run). */
  isEmpty(): boolean;
}

/** One period's increase of a client's spend (a batch of these is written at once). */
export interface SpendDelta {
  client: string;
  period: string;
  totals: SpendTotals;
}

export interface ClientSpendRepository {
  /** Totals of each period, in order (zero for a period without a row). */
  read(client: string, periods: readonly string[]): SpendTotals[];
  /** Adds every delta in one transaction. */
  add(rows: readonly SpendDelta[]): void;
  /** Drops every period of a client (its token was revoked for good). */
  forget(client: string): void;
  /** Drops day rows (`YYYY-MM-DD`) before a day; months and lifetimes stay. */
  pruneDaysBefore(day: string): number;
}

export interface SettingsRepository {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
}

export interface ModelCacheRepository {
  /** Replaces the discovered models of one provider. */
  replace(providerId: string, models: Array<{ model: string; metadata: ModelMetadata }>, at: number): void;
  list(providerId?: string): DiscoveredModel[];
  /** Providers (enabled or not) whose discovered list contains exactly this model id. */
  providersOffering(model: string): string[];
  /** Per-model metadata overrides the user set on a discovered model. */
  setMetadata(providerId: string, model: string, metadata: ModelMetadata): void;
}

/** A row on its way to the database, with its attempts already serialised (once, by the recorder). */
export type QueuedHistoryRecord = HistoryRecord & { attemptsJson?: string };

export interface HistoryRepository {
  /**
   * Inserts rows (and bodies, usage roll-ups) in one transaction. A Promise when the write goes
   * to a server: the rows are durable once it resolves.
   */
  insertBatch(records: QueuedHistoryRecord[]): Awaitable<void>;
  /** True when inserting a row whose id is stored already is a no-op (journal replay skips `has`). */
  readonly idempotentInserts?: boolean;
  /** True when a row with this request id is stored (journal replay). */
  has(id: string): boolean;
  query(query: HistoryQuery): Awaitable<HistoryPage>;
  get(id: string): Awaitable<HistoryDetail | null>;
  /** Newest first. */
  latest(limit: number): Awaitable<HistoryRow[]>;
  /** Deletes rows older than the cutoff in batches; returns how many went. */
  prune(olderThan: number): Awaitable<number>;
  clear(): Awaitable<void>;
  /** Requests today and such; engine events are not requests. Synchronous (the status reads it). */
  countSince(since: number): { requests: number; errors: number };
  /** Rows grouped by session, newest activity first. */
  sessions(query: SessionsQuery): Awaitable<SessionSummary[]>;
  usage(query: UsageQuery, prices: Price[]): Awaitable<UsageReport>;
  /** Latency percentiles, error rate and cache figures per group over a window of history rows. */
  performance(query: PerformanceQuery, prices: Price[]): Awaitable<PerformanceReport>;
}

/** SQLite's history: every method answers synchronously. */
export interface SqliteHistoryRepository extends HistoryRepository {
  insertBatch(records: QueuedHistoryRecord[]): void;
  query(query: HistoryQuery): HistoryPage;
  get(id: string): HistoryDetail | null;
  latest(limit: number): HistoryRow[];
  prune(olderThan: number): number;
  clear(): void;
  sessions(query: SessionsQuery): SessionSummary[];
  usage(query: UsageQuery, prices: Price[]): UsageReport;
  performance(query: PerformanceQuery, prices: Price[]): PerformanceReport;
}

export interface PriceRepository {
  list(): Price[];
  set(price: Price): Price[];
  delete(model: string): Price[];
}

/** A Responses-API response kept for `previous_response_id` and GET /v1/responses/{id}. */
export interface KeptResponse {
  id: string;
  /** The client that created it (http/client-identity.ts): only it can read it back. */
  owner: string;
  previousResponseId: string | null;
  createdAt: number;
  /** The request's own input items (Responses wire shape; a string input as one user message). */
  input: unknown[];
  /** The response object as the client received it, output items included. */
  response: Record<string, unknown>;
}

/**
 * What `save` takes: a kept response whose response may be its JSON text already (the stream
 * encoder wrote it for the client; serialising the object again cost a kept row a second pass
 * over the answer's text, and the object tree stayed alive until the batch was written).
 */
export interface KeptResponseToSave extends Omit<KeptResponse, 'response'> {
  response: Record<string, unknown> | string;
}

/**
 * Async: on a team store the kept responses live in PostgreSQL, so a conversation continued
 * through another instance finds its earlier turns.
 */
export interface ResponsesRepository {
  /** Inserts or replaces one kept response (a single-row write at the end of an answer). */
  save(response: KeptResponseToSave): Promise<void>;
  /** The response when `owner` created it; another client's response is not found. */
  get(id: string, owner: string): Promise<KeptResponse | null>;
  delete(id: string, owner: string): Promise<boolean>;
  /** True when some client keeps a response with this id (so it must not be forwarded for another). */
  isKept(id: string): Promise<boolean>;
  /** Deletes responses created before the cutoff; returns how many went. */
  prune(olderThan: number): Promise<number>;
}

/** Switchboard's own state: plain values and encrypted secrets, by name. */
export interface AppStateRepository {
  get(name: string): string | null;
  /** null deletes. */
  set(name: string, value: string | null): void;
  /** Throws GatewayError('secret_unavailable') when the stored secret cannot be decrypted. */
  getSecret(name: string): string | null;
  setSecret(name: string, value: string): void;
}

/** One kept answer of the response cache; `entry` is opaque JSON text the cache (cache/) reads. */
export interface CacheRow {
  key: string;
  entry: string;
  /** Bytes the entry counts against settings.cache.maxMb. */
  bytes: number;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
}

export type CacheRowIndex = Pick<CacheRow, 'key' | 'bytes' | 'expiresAt' | 'lastUsedAt'>;

export interface CacheWriteBatch {
  puts: CacheRow[];
  uses: Array<{ key: string; at: number }>;
  deletes: string[];
}

export interface ResponseCacheRepository {
  /** Every entry without its body, least recently used first (the cache's in-memory index). */
  index(): CacheRowIndex[];
  read(key: string): CacheRow | null;
  /** Deletes, then puts, then uses, in one transaction. */
  write(batch: CacheWriteBatch): void;
  /** Removes every entry; returns how many went. */
  clear(): number;
}

/**
 * The response cache in a team store (PostgreSQL): one cache every instance reads and fills, so
 * an answer kept through one instance is a hit on the others (issue 17) without a shared server.
 */
export interface TeamCacheRepository {
  /** The live entry under a key, marked as used now; null when absent or expired. */
  read(key: string, now: number): Promise<CacheRow | null>;
  /** Inserts or replaces an entry. */
  put(row: CacheRow): Promise<void>;
  /** Drops expired entries, then the least recently used ones until the total fits maxBytes. */
  evict(now: number, maxBytes: number): Promise<void>;
  stats(now: number): Promise<{ entries: number; bytes: number }>;
  /** Removes every entry; resolves to how many went. */
  clear(): Promise<number>;
}

/** What `/ready` reports about the store. */
export interface StoreHealth {
  reachable: boolean;
  /** Highest migration applied and the highest this build knows (equal when migrations are done). */
  migrations: { current: number; latest: number };
  /** Why it is not reachable (secrets removed). */
  error?: string;
}

export interface Store {
  /** 'sqlite' (the data folder's file) or 'postgres' (a team store several instances share). */
  readonly kind: 'sqlite' | 'postgres';
  /** The database file, or the PostgreSQL URL with its password hidden. */
  readonly path: string;
  readonly cipher: SecretCipher;
  readonly providers: ProviderRepository;
  readonly keys: KeyRepository;
  readonly aliases: AliasRepository;
  readonly clientTokens: ClientTokenRepository;
  readonly settings: SettingsRepository;
  readonly models: ModelCacheRepository;
  readonly history: HistoryRepository;
  readonly prices: PriceRepository;
  readonly responses: ResponsesRepository;
  readonly clientSpend: ClientSpendRepository;
  readonly appState: AppStateRepository;
  readonly responseCache: ResponseCacheRepository;
  /** A team store's own response cache (PostgreSQL); absent on SQLite, whose cache is responseCache. */
  readonly teamCache?: TeamCacheRepository;
  /** Runs fn in one BEGIN IMMEDIATE transaction (config import: all or nothing). */
  transaction<T>(fn: () => T): T;
  /** Checkpoints the WAL (TRUNCATE) — after key deletes and at close. */
  checkpoint(): void;
  /**
   * Resolves once every change made so far reached the shared database (PostgreSQL: configuration
   * written through, history and spend written). The control API awaits it after each operation
   * that configures. Absent for SQLite, whose writes are done when the call returns.
   */
  sync?(): Promise<void>;
  /** Calls `listener` after another instance changed the configuration (and it was read in). */
  onRemoteChange?(listener: () => void): () => void;
  /** Reachability and migration state, for GET /ready. */
  health?(): Promise<StoreHealth>;
  /**
   * Runs `fn` as the only instance of the team doing `name` (PostgreSQL: an advisory lock), on
   * the newest configuration, and writes its changes through before the next one may start: a
   * one-time creation two instances starting together must not both make. Absent for SQLite.
   */
  exclusive?<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): void | Promise<void>;
}

/** The SQLite store: synchronous throughout. */
export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  readonly history: SqliteHistoryRepository;
  close(): void;
}

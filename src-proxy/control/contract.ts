/**
 * The control contract: every operation the CLI, the tray, the Electron IPC bridge and the HTTP
 * dashboard can ask of the core. One entry per operation with a zod schema for its request (the
 * transports validate untrusted payloads with it) and the TypeScript type of its response.
 * `ControlApi` is derived from this map, so an operation cannot exist without a contract entry.
 *
 * The domain (src-proxy/domain/) defines what the operations carry; this file adds only the
 * operation map and the shapes that exist for the UI (status, the masked provider view, test
 * results). The domain types are re-exported below so a UI file has one import.
 */
import { z } from 'zod';
import { lazySchema } from '../domain/lazy-schema.ts';
import { secretTextSchema } from '../domain/secret-text.ts';
import { aliasInputSchema, aliasUpdateSchema, type AliasInfo } from '../domain/alias.ts';
import type { CheckReport } from '../domain/checks.ts';
import type { ClientsOverview, ClientTokenInfo, CreatedClientToken, DashboardClientToken } from '../domain/client-token.ts';
import type { ConfigChanges, ConfigText, SwitchboardConfig } from '../domain/config-file.ts';
import { historyQuerySchema, sessionsQuerySchema, type HistoryDetail, type HistoryPage, type HistoryRow, type SessionSummary } from '../domain/history.ts';
import { clientGovernancePatchSchema, type BudgetAlert, type ProviderPacingState } from '../domain/governance.ts';
import type { DiscoveredModel } from '../domain/model-metadata.ts';
import type { ProviderKindInfo } from '../domain/provider-kind.ts';
import { keyAccountSchema } from '../domain/provider-key.ts';
import { proxyUrlSchema } from '../domain/proxy-url.ts';
import { providerIdSchema, providerInputSchema, providerUpdateSchema, type KeyInfo, type ProviderRecord, type ProviderTestResult } from '../domain/provider.ts';
import { settingsPatchSchema, type Settings } from '../domain/settings.ts';
import type { GatewayEndpoint } from '../domain/endpoints.ts';
import type { CacheStats } from '../domain/response-cache.ts';
import { priceSchema, usageQuerySchema, type Price, type UsageReport } from '../domain/usage.ts';
import type { RoutingHealth } from '../domain/routing-health.ts';
import { performanceQuerySchema, type PerformanceReport } from '../domain/performance.ts';
import { logTailQuerySchema, type LogEntry } from '../domain/log-entry.ts';
import type { DiagnosticsArchive } from '../domain/diagnostics.ts';
import type { CertificateSummary } from '../domain/certificate.ts';

export * from '../domain/alias.ts';
export * from '../domain/checks.ts';
export * from '../domain/client-token.ts';
export * from '../domain/config-file.ts';
export * from '../domain/governance.ts';
export * from '../domain/history.ts';
export * from '../domain/model-metadata.ts';
export * from '../domain/overrides.ts';
export * from '../domain/ownership.ts';
export * from '../domain/provider.ts';
export * from '../domain/provider-kind.ts';
export * from '../domain/endpoints.ts';
export * from '../domain/settings.ts';
export * from '../domain/usage.ts';
export * from '../domain/performance.ts';
export * from '../domain/response-cache.ts';
export * from '../domain/guardrails.ts';
export * from '../domain/routing-health.ts';
export * from '../domain/log-entry.ts';
export * from '../domain/diagnostics.ts';
export * from '../domain/certificate.ts';

// ---------------------------------------------------------------------------------------------
// Shapes for the UI
// ---------------------------------------------------------------------------------------------

export type ProxyState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error';

export interface ProxyStatus {
  state: ProxyState;
  host: string;
  port: number | null;
  /** The gateway's origin (`http://127.0.0.1:11434`) while running, else null. */
  baseUrl: string | null;
  /** The base URLs to give tools, one per front door that has its own (see endpointUrl). */
  endpoints: GatewayEndpoint[];
  error: { code: string; message: string } | null;
  startedAt: number | null;
  requestsToday: number;
  errorsToday: number;
  version: string;
  dataDir: string;
  /** The config file `serve --config` last applied (its entities are `managedBy: 'config'`). */
  configFile: string | null;
  /** Providers skipped because they cannot be reached, and whether this machine looks offline (absent = all reachable). */
  routing?: RoutingHealth;
}

/**
 * Who the dashboard is signed in as (GET /_switchboard/session; the HTTP transport alone knows
 * the caller). The dashboard's admin token is "admin"; the desktop window has no sign-in.
 */
export interface SignedIn {
  name: string;
  /** What the caller proved: the dashboard admin token (every operation allowed). */
  via: 'admin-token';
}

/** A provider as the dashboard sees it: header values masked (they may carry secrets), keys masked. */
export interface ProviderInfo extends ProviderRecord {
  keys: KeyInfo[];
}

// ---------------------------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------------------------

const none = lazySchema(() => z.object({}).strict().optional());
const keyId = lazySchema(() => z.object({ keyId: z.number().int().positive() }).strict());

/**
 * What an operation does to the engine: `read` changes nothing; `configure` changes what routing,
 * the key pool, the token check or the settings read (the engine refreshes them after it);
 * `lifecycle` starts or stops the proxy.
 */
export type OperationEffect = 'read' | 'configure' | 'lifecycle';

/**
 * `op<Response>(effect)(requestSchema)`: the response type is declared, the request type is
 * inferred. A request schema written here is given as `() => schema`: built on first use.
 */
function op<Res>(effect: OperationEffect) {
  return <Req extends z.ZodType>(request: Req | (() => Req)) => ({
    request: typeof request === 'function' ? lazySchema(request) : request,
    effect,
    response: undefined as unknown as Res,
  });
}

export const CONTROL_OPERATIONS = {
  getStatus: op<ProxyStatus>('read')(none),
  startProxy: op<ProxyStatus>('lifecycle')(none),
  stopProxy: op<ProxyStatus>('lifecycle')(none),

  listProviderKinds: op<ProviderKindInfo[]>('read')(none),
  listProviders: op<ProviderInfo[]>('read')(none),
  /** 409 already_exists (issue path `id`) when the id is taken. */
  createProvider: op<ProviderInfo>('configure')(providerInputSchema),
  /** Edit in place; `newId` renames. 404 provider_not_found, 409 already_exists (`newId`). */
  updateProvider: op<ProviderInfo>('configure')(providerUpdateSchema),
  deleteProvider: op<void>('configure')(() => z.object({ id: providerIdSchema }).strict()),
  testProvider: op<ProviderTestResult>('read')(() => z.object({ providerId: providerIdSchema, keyId: z.number().int().positive().optional() }).strict()),

  /** A plain `secret`, or an `oauth2` account; either may go out through its own `proxy`. */
  addKey: op<KeyInfo>('configure')(
    () =>
      z
        .object({ providerId: providerIdSchema, secret: secretTextSchema.optional(), oauth2: keyAccountSchema.optional(), label: z.string().max(100).optional(), proxy: proxyUrlSchema.optional() })
        .strict()
        .refine((request) => (request.secret === undefined) !== (request.oauth2 === undefined), { message: 'give either "secret" or "oauth2"', path: ['secret'] }),
  ),
  /**
   * New secret or account (the old one is overwritten), and/or a new proxy (null: none), and/or a new
   * label. `oauth2` sent to an OAuth2 account edits it in place: a secret sent back as the mask the
   * listing showed (`KeyInfo.oauth2`) keeps the stored one; the access token is dropped when the token
   * URL, client, refresh token or scopes change and kept on a label or proxy edit.
   */
  replaceKey: op<KeyInfo>('configure')(
    () =>
      z
        .object({
          keyId: z.number().int().positive(),
          secret: secretTextSchema.optional(),
          oauth2: keyAccountSchema.optional(),
          proxy: proxyUrlSchema.nullable().optional(),
          label: z.string().trim().min(1, 'a key needs a label').max(100).optional(),
        })
        .strict()
        .refine((request) => !(request.secret !== undefined && request.oauth2 !== undefined), { message: 'give "secret" or "oauth2", not both', path: ['secret'] })
        .refine((request) => request.secret !== undefined || request.oauth2 !== undefined || request.proxy !== undefined || request.label !== undefined, { message: 'nothing to change', path: ['secret'] }),
  ),
  setKeyEnabled: op<KeyInfo>('configure')(() => z.object({ keyId: z.number().int().positive(), enabled: z.boolean() }).strict()),
  deleteKey: op<void>('configure')(keyId),

  listModels: op<DiscoveredModel[]>('read')(none),
  refreshModels: op<DiscoveredModel[]>('configure')(() => z.object({ providerId: providerIdSchema.optional() }).strict().optional()),

  listAliases: op<AliasInfo[]>('read')(none),
  /** 409 already_exists (issue path `alias`) when the name is taken. */
  createAlias: op<AliasInfo>('configure')(aliasInputSchema),
  /** Edit in place; `newAlias` renames. 404 alias_not_found, 409 already_exists (`newAlias`). */
  updateAlias: op<AliasInfo>('configure')(aliasUpdateSchema),
  deleteAlias: op<void>('configure')(() => z.object({ alias: z.string().min(1) }).strict()),

  listClientTokens: op<ClientTokenInfo[]>('read')(none),
  /** 409 already_exists (issue path `name`) when a live token has the name. Governance (enabled, expiresAt, models, limits) is optional. */
  createClientToken: op<CreatedClientToken>('configure')(() => z.object({ name: z.string().min(1).max(100), ...clientGovernancePatchSchema.shape }).strict()),
  /**
   * Renames a token (the token itself is unchanged; 409 already_exists on `name`) and changes what
   * governs it; fields left out stay, null clears expiresAt / models.
   */
  updateClientToken: op<ClientTokenInfo>('configure')(() => z.object({ id: z.string().min(1), name: z.string().min(1).max(100).optional(), ...clientGovernancePatchSchema.shape }).strict()),
  /** A new secret for the same client (its history, spend and limits stay); the old one stops working. */
  rotateClientToken: op<CreatedClientToken>('configure')(() => z.object({ id: z.string().min(1) }).strict()),
  revokeClientToken: op<void>('configure')(() => z.object({ id: z.string().min(1) }).strict()),
  /** The dashboard's own client token: the same one across tabs and restarts (re-created only if revoked). */
  getDashboardClientToken: op<DashboardClientToken>('configure')(none),
  /** Live clients with today's, this month's and lifetime spend, and the tokenless Ollama lane. */
  listClients: op<ClientsOverview>('read')(none),
  /** Providers with pacing limits that paced a call since start: calls in flight, waiting, and the last minute's requests and tokens. */
  providerPacing: op<ProviderPacingState[]>('read')(none),

  getSettings: op<Settings>('read')(none),
  /** What PEM certificates say (subject, issuer, validity) — settings.proxyCa before and after saving; 400 invalid_request (issue path `pem`) when one cannot be read. */
  describeCertificates: op<CertificateSummary[]>('read')(() => z.object({ pem: z.string().min(1).max(1_000_000) }).strict()),
  updateSettings: op<Settings>('configure')(settingsPatchSchema),

  queryHistory: op<HistoryPage>('read')(historyQuerySchema),
  getHistoryEntry: op<HistoryDetail | null>('read')(() => z.object({ id: z.string().min(1) }).strict()),
  /** Conversations (x-session-id, or derived from the client, system prompt and first message), newest activity first. */
  listSessions: op<SessionSummary[]>('read')(sessionsQuerySchema),
  clearHistory: op<void>('configure')(none),

  getUsage: op<UsageReport>('read')(usageQuerySchema),
  /** p50/p95 latency and time to first token, error rate, cache hit rate and savings per group, over at most 48 hours of history. */
  getPerformance: op<PerformanceReport>('read')(performanceQuerySchema),
  listPrices: op<Price[]>('read')(none),
  setPrice: op<Price[]>('configure')(priceSchema),
  deletePrice: op<Price[]>('configure')(() => z.object({ model: z.string().min(1) }).strict()),

  getCacheStats: op<CacheStats>('read')(none),
  clearCache: op<{ removed: number }>('configure')(none),

  /**
   * Adds and updates what a config declares (never removes). `text` (JSON) or `config` (an
   * object); errors are 400 invalid_request with `issues` carrying paths and, for text, line and
   * column. `dryRun` reports the changes without making them.
   */
  importConfig: op<ConfigChanges>('configure')(
    () => z.object({ config: z.unknown().optional(), text: z.string().max(10_000_000).optional(), dryRun: z.boolean().optional() }).strict(),
  ),
  /** The configuration as a config file, never with secrets (`includeSecrets` → 403 secrets_not_exported). */
  exportConfig: op<SwitchboardConfig>('read')(() => z.object({ includeSecrets: z.boolean().optional() }).strict().optional()),
  /** The raw editor's text: exportConfig as pretty JSON. */
  getConfigText: op<ConfigText>('read')(none),
  /**
   * The raw editor's save: the store is made to match the text (providers, aliases, clients and
   * prices missing from it are removed; keys are kept unless the text lists some). Same errors
   * and `dryRun` as importConfig.
   */
  setConfigText: op<ConfigChanges>('configure')(() => z.object({ text: z.string().max(10_000_000), dryRun: z.boolean().optional() }).strict()),

  /** A new dashboard admin token (the old one stops working at once); the caller keeps the new one. */
  rotateAdminToken: op<{ token: string }>('configure')(none),
  /** A new metrics token, shown once (getSettings shows it masked from then on). */
  rotateMetricsToken: op<{ token: string }>('configure')(none),
  /** `switchboard doctor`'s checks: port, data folder, dashboard, providers and keys, aliases, tokens, Ollama. */
  runChecks: op<CheckReport>('read')(none),
  /** The engine's newest log lines (redacted), oldest first: the live log console's first page. */
  getLogTail: op<LogEntry[]>('read')(logTailQuerySchema),
  /** The diagnostics bundle (.tar.gz): versions, OS, settings, config and history without secrets or bodies, the doctor's checks, the log tail. */
  buildDiagnostics: op<DiagnosticsArchive>('read')(none),
} as const;

export type ControlOperationName = keyof typeof CONTROL_OPERATIONS;
export type ControlRequest<K extends ControlOperationName> = z.input<(typeof CONTROL_OPERATIONS)[K]['request']>;
export type ControlResponse<K extends ControlOperationName> = (typeof CONTROL_OPERATIONS)[K]['response'];

/** The API itself: one async method per operation, request object in, response out. */
export type ControlApi = {
  [K in ControlOperationName]: undefined extends ControlRequest<K>
    ? (request?: ControlRequest<K>) => Promise<ControlResponse<K>>
    : (request: ControlRequest<K>) => Promise<ControlResponse<K>>;
};

/** Push events for live views (IPC events in the window, SSE for the browser dashboard). */
export type ControlEvent =
  | { type: 'status'; status: ProxyStatus }
  | { type: 'history'; rows: HistoryRow[] }
  /** A client's spend crossed 80 % or 100 % of a budget (dashboard banner, desktop notification). */
  | { type: 'budget'; alert: BudgetAlert }
  /** New lines of the engine's log (redacted), while someone listens. */
  | { type: 'log'; entries: LogEntry[] };

export interface ControlEventSource {
  subscribe(listener: (event: ControlEvent) => void): () => void;
}

/** Validates an untrusted payload for an operation; throws a ZodError with paths on failure. */
export function parseControlRequest<K extends ControlOperationName>(name: K, payload: unknown): ControlRequest<K> {
  return CONTROL_OPERATIONS[name].request.parse(payload) as ControlRequest<K>;
}

export function isControlOperation(name: string): name is ControlOperationName {
  return Object.prototype.hasOwnProperty.call(CONTROL_OPERATIONS, name);
}

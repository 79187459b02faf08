/**
 * The control contract: every operation the CLI, the tray, the Electron IPC bridge and the HTTP
 * dashboard can ask of the core. One entry per operation with a zod schema for its request (the
 * transports validate untrusted payloads with it) and the TypeScript type of its response.
 * `ControlApi` is derived from this map, so an operation cannot exist without a contract entry.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Shared shapes
// ---------------------------------------------------------------------------------------------

export const PROVIDER_KINDS = ['openai', 'anthropic', 'gemini', 'ollama', 'azure-openai'] as const;
export const providerKindSchema = z.enum(PROVIDER_KINDS);

export const CAPABILITIES = ['completion', 'tools', 'vision', 'thinking', 'embedding', 'insert'] as const;
export const capabilitySchema = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof capabilitySchema>;

export const providerIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" or "_" (it becomes the first part of provider/model addresses)');

export const modelMetadataSchema = z
  .object({
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    capabilities: z.array(capabilitySchema).optional(),
    family: z.string().optional(),
    parameterSize: z.string().optional(),
  })
  .strict();
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

export const targetOverridesSchema = z
  .object({
    /** Used when the client gives no max tokens. */
    maxTokens: z.number().int().positive().optional(),
    /** Replaces the client's temperature. */
    temperature: z.number().min(0).max(2).optional(),
    /** Clamps the client's temperature to at most this. */
    maxTemperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high', 'max']).optional(),
  })
  .strict();
export type TargetOverrides = z.infer<typeof targetOverridesSchema>;

export const targetSchema = z
  .object({ provider: providerIdSchema, model: z.string().min(1), overrides: targetOverridesSchema.optional() })
  .strict();
export type AliasTarget = z.infer<typeof targetSchema>;

export const providerOptionsSchema = z
  .object({
    /** OpenAI-compatible upstream offers /v1/responses (Responses fast path). */
    supportsResponses: z.boolean().optional(),
    /** Azure OpenAI classic surface: api-version query value. */
    apiVersion: z.string().optional(),
    /** Azure OpenAI: model name → deployment name. */
    deployments: z.record(z.string(), z.string()).optional(),
    /** Anthropic: anthropic-version header to send when the client sent none. */
    anthropicVersion: z.string().optional(),
  })
  .strict();
export type ProviderOptions = z.infer<typeof providerOptionsSchema>;

export const providerInputSchema = z
  .object({
    id: providerIdSchema,
    kind: providerKindSchema,
    name: z.string().min(1).max(100).optional(),
    baseUrl: z.string().url(),
    headers: z.record(z.string(), z.string()).optional(),
    enabled: z.boolean().optional(),
    options: providerOptionsSchema.optional(),
  })
  .strict();
export type ProviderInput = z.infer<typeof providerInputSchema>;

export const aliasInputSchema = z
  .object({
    alias: z.string().min(1).max(200),
    targets: z.array(targetSchema).min(1),
    exposed: z.boolean().optional(),
    metadata: modelMetadataSchema.optional(),
  })
  .strict();
export type AliasInput = z.infer<typeof aliasInputSchema>;

export const timeoutsSchema = z
  .object({
    connectMs: z.number().int().positive(),
    firstByteMs: z.number().int().positive(),
    idleMs: z.number().int().positive(),
    totalMs: z.number().int().positive(),
  })
  .strict();

export const settingsSchema = z
  .object({
    port: z.number().int().min(0).max(65535),
    requireClientToken: z.boolean(),
    recordBodies: z.boolean(),
    historyRetentionDays: z.number().int().min(1).max(3650),
    bodyLimitBytes: z.number().int().min(1024),
    timeouts: timeoutsSchema,
    drainTimeoutMs: z.number().int().min(0),
    /** Downstream keep-alive while the upstream is silent (SSE comment / Anthropic ping). */
    pingIntervalMs: z.number().int().positive(),
    /** Browser origins allowed to call the gateway (none by default). */
    allowedOrigins: z.array(z.string()),
    theme: z.enum(['light', 'dark', 'system']),
    launchAtLogin: z.boolean(),
    startProxyOnLaunch: z.boolean(),
    onboardingComplete: z.boolean(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial().extend({ timeouts: timeoutsSchema.partial().optional() }).strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  port: 11434,
  requireClientToken: true,
  recordBodies: false,
  historyRetentionDays: 30,
  bodyLimitBytes: 50 * 1024 * 1024,
  timeouts: { connectMs: 10_000, firstByteMs: 300_000, idleMs: 300_000, totalMs: 3_600_000 },
  drainTimeoutMs: 10_000,
  pingIntervalMs: 15_000,
  allowedOrigins: [],
  theme: 'system',
  launchAtLogin: false,
  startProxyOnLaunch: false,
  onboardingComplete: false,
};

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

export const usageQuerySchema = z
  .object({
    from: z.number(),
    to: z.number(),
    groupBy: z.enum(['model', 'provider', 'client']),
  })
  .strict();
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const priceSchema = z
  .object({
    /** Upstream model name, or a pattern with * */
    model: z.string().min(1),
    inputPerMillion: z.number().min(0),
    outputPerMillion: z.number().min(0),
  })
  .strict();
export type Price = z.infer<typeof priceSchema>;

// ---------------------------------------------------------------------------------------------
// Response shapes
// ---------------------------------------------------------------------------------------------

export type ProxyState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error';

export interface ProxyStatus {
  state: ProxyState;
  host: string;
  port: number | null;
  /** Base URLs to give tools, present while running. */
  endpoints: { openai: string; anthropic: string; ollama: string } | null;
  error: { code: string; message: string } | null;
  startedAt: number | null;
  requestsToday: number;
  errorsToday: number;
  version: string;
  dataDir: string;
}

export interface KeyInfo {
  id: number;
  providerId: string;
  label: string;
  /** e.g. "sk-…9f3a" — the only form a key ever leaves the core in. */
  masked: string;
  enabled: boolean;
  lastError: string | null;
  lastUsedAt: number | null;
  /** Epoch ms until which the key rests after a 429 / 401. */
  cooldownUntil: number | null;
  createdAt: number;
}

export interface ProviderInfo {
  id: string;
  kind: z.infer<typeof providerKindSchema>;
  name: string;
  baseUrl: string;
  /** Extra headers; values masked (they may carry secrets). */
  headers: Record<string, string>;
  enabled: boolean;
  options: ProviderOptions;
  keys: KeyInfo[];
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AliasInfo {
  alias: string;
  targets: AliasTarget[];
  exposed: boolean;
  metadata: ModelMetadata;
  createdAt: number;
  updatedAt: number;
}

export interface DiscoveredModel {
  providerId: string;
  /** Upstream model id. */
  model: string;
  /** `providerId/model` */
  address: string;
  metadata: ModelMetadata;
  discoveredAt: number;
}

export interface ClientTokenInfo {
  id: string;
  name: string;
  /** e.g. "sb-…4f2c" */
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CreatedClientToken extends ClientTokenInfo {
  /** Shown once, at creation. */
  token: string;
}

export interface Attempt {
  provider: string;
  model: string;
  keyLabel: string | null;
  status: number | null;
  errorCode: string | null;
  durationMs: number;
}

/** One request as recorded; the field names are part of `switchboard history --json`. */
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
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface HistoryDetail extends HistoryRow {
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** Token counts that are estimates (count_tokens without an upstream answer). */
  estimated: boolean;
  errorMessage: string | null;
  /** Present when body capture was on for this request. Secrets are already redacted. */
  bodies: { clientRequest: string | null; upstreamRequest: string | null; response: string | null } | null;
  /** Request headers as the client sent them, secrets redacted (for "copy as curl"). */
  requestHeaders: Record<string, string> | null;
}

export interface HistoryPage {
  rows: HistoryRow[];
  /** Cursor for the next (older) page, null at the end. */
  next: { startedAt: number; id: string } | null;
  total: number;
}

export interface UsageBucket {
  day: string; // YYYY-MM-DD (UTC)
  key: string; // model / provider / client
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

export interface UsageReport {
  groupBy: UsageQuery['groupBy'];
  buckets: UsageBucket[];
  totals: { requests: number; errors: number; inputTokens: number; outputTokens: number; costUsd: number | null };
}

export interface ProviderTestResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  message: string;
  models: string[];
}

export interface ImportSummary {
  providers: number;
  keys: number;
  aliases: number;
  clients: number;
  settings: number;
}

/** The config file format (see config/schema.ts for its validation). */
export type SwitchboardConfig = {
  providers?: Array<ProviderInput & { keys?: string[] }>;
  models?: Array<{ alias: string; targets: Array<string | AliasTarget>; exposed?: boolean; metadata?: ModelMetadata }>;
  clients?: Array<{ name: string; token?: string }>;
  settings?: SettingsPatch;
  prices?: Price[];
};

// ---------------------------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------------------------

const none = z.object({}).strict().optional();
const keyId = z.object({ keyId: z.number().int().positive() }).strict();

/** `op<Response>()(requestSchema)`: the response type is declared, the request type is inferred. */
function op<Res>() {
  return <Req extends z.ZodType>(request: Req) => ({ request, response: undefined as unknown as Res });
}

export const CONTROL_OPERATIONS = {
  getStatus: op<ProxyStatus>()(none),
  startProxy: op<ProxyStatus>()(none),
  stopProxy: op<ProxyStatus>()(none),

  listProviders: op<ProviderInfo[]>()(none),
  upsertProvider: op<ProviderInfo>()(providerInputSchema),
  deleteProvider: op<void>()(z.object({ id: providerIdSchema }).strict()),
  testProvider: op<ProviderTestResult>()(z.object({ providerId: providerIdSchema, keyId: z.number().int().positive().optional() }).strict()),

  addKey: op<KeyInfo>()(
    z.object({ providerId: providerIdSchema, secret: z.string().min(1).max(10_000), label: z.string().max(100).optional() }).strict(),
  ),
  replaceKey: op<KeyInfo>()(z.object({ keyId: z.number().int().positive(), secret: z.string().min(1).max(10_000) }).strict()),
  setKeyEnabled: op<KeyInfo>()(z.object({ keyId: z.number().int().positive(), enabled: z.boolean() }).strict()),
  deleteKey: op<void>()(keyId),

  listModels: op<DiscoveredModel[]>()(none),
  refreshModels: op<DiscoveredModel[]>()(z.object({ providerId: providerIdSchema.optional() }).strict().optional()),

  listAliases: op<AliasInfo[]>()(none),
  upsertAlias: op<AliasInfo>()(aliasInputSchema),
  deleteAlias: op<void>()(z.object({ alias: z.string().min(1) }).strict()),

  listClientTokens: op<ClientTokenInfo[]>()(none),
  createClientToken: op<CreatedClientToken>()(z.object({ name: z.string().min(1).max(100) }).strict()),
  revokeClientToken: op<void>()(z.object({ id: z.string().min(1) }).strict()),

  getSettings: op<Settings>()(none),
  updateSettings: op<Settings>()(settingsPatchSchema),

  queryHistory: op<HistoryPage>()(historyQuerySchema),
  getHistoryEntry: op<HistoryDetail | null>()(z.object({ id: z.string().min(1) }).strict()),
  clearHistory: op<void>()(none),

  getUsage: op<UsageReport>()(usageQuerySchema),
  listPrices: op<Price[]>()(none),
  setPrice: op<Price[]>()(priceSchema),
  deletePrice: op<Price[]>()(z.object({ model: z.string().min(1) }).strict()),

  importConfig: op<ImportSummary>()(z.object({ config: z.unknown() }).strict()),
  exportConfig: op<SwitchboardConfig>()(z.object({ includeSecrets: z.boolean().optional() }).strict().optional()),
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
  | { type: 'history'; rows: HistoryRow[] };

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

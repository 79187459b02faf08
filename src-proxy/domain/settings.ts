/** The gateway's settings, their schema (a patch validates against it) and their defaults. */
import { z } from 'zod';
import { ollamaLaneSchema } from './governance.ts';

export const timeoutsSchema = z
  .object({
    connectMs: z.number().int().positive(),
    firstByteMs: z.number().int().positive(),
    idleMs: z.number().int().positive(),
    totalMs: z.number().int().positive(),
  })
  .strict();

export const cacheSettingsSchema = z.object({ maxMb: z.number().int().min(1).max(100_000) }).strict();

/**
 * GET /metrics (Prometheus text format): off by default; answered only with
 * `Authorization: Bearer <token>` (this token, or the dashboard's admin token). The token is a
 * secret: the control API shows it masked and exports leave it out.
 */
export const metricsSettingsSchema = z
  .object({
    enabled: z.boolean(),
    token: z
      .string()
      .min(16, 'a metrics token must be at least 16 characters')
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'a metrics token is printable characters without spaces')
      .nullable(),
  })
  .strict();
export type MetricsSettings = z.infer<typeof metricsSettingsSchema>;

export const settingsSchema = z
  .object({
    port: z.number().int().min(0).max(65535),
    requireClientToken: z.boolean(),
    recordBodies: z.boolean(),
    /** Header names and JSON keys whose values body capture never keeps, added to the defaults. */
    redactFields: z.array(z.string().trim().min(1).max(200)).max(500),
    historyRetentionDays: z.number().int().min(1).max(3650),
    bodyLimitBytes: z.number().int().min(1024),
    timeouts: timeoutsSchema,
    drainTimeoutMs: z.number().int().min(0),
    /** Downstream keep-alive while the upstream is silent (SSE comment / Anthropic ping). */
    pingIntervalMs: z.number().int().positive(),
    /** Browser origins allowed to call the gateway (none by default). */
    allowedOrigins: z.array(z.string()),
    /**
     * Calls in flight at once to one provider host. Past it, requests wait in a fair queue per
     * client (one client cannot take the last eighth of them).
     */
    upstreamConnectionsPerHost: z.number().int().min(1).max(4096),
    theme: z.enum(['light', 'dark', 'system']),
    launchAtLogin: z.boolean(),
    startProxyOnLaunch: z.boolean(),
    onboardingComplete: z.boolean(),
    /** The response cache's size bound (aliases opt in; least recently used answers go first). */
    cache: cacheSettingsSchema,
    /** Limits of the tokenless Ollama lane, which counts as one client. */
    ollamaLane: ollamaLaneSchema,
    /** Longest wait in a provider's pacing queue before a request fails with 429 pacing_timeout. */
    pacingMaxWaitMs: z.number().int().min(0).max(600_000),
    metrics: metricsSettingsSchema,
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema
  .partial()
  .extend({ timeouts: timeoutsSchema.partial().optional(), cache: cacheSettingsSchema.partial().optional(), metrics: metricsSettingsSchema.partial().optional() })
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  port: 11434,
  requireClientToken: true,
  recordBodies: false,
  redactFields: [],
  historyRetentionDays: 30,
  bodyLimitBytes: 50 * 1024 * 1024,
  timeouts: { connectMs: 10_000, firstByteMs: 300_000, idleMs: 300_000, totalMs: 3_600_000 },
  drainTimeoutMs: 10_000,
  pingIntervalMs: 15_000,
  allowedOrigins: [],
  upstreamConnectionsPerHost: 128,
  theme: 'system',
  launchAtLogin: false,
  startProxyOnLaunch: false,
  onboardingComplete: false,
  cache: { maxMb: 256 },
  ollamaLane: { limits: {} },
  pacingMaxWaitMs: 30_000,
  metrics: { enabled: false, token: null },
};

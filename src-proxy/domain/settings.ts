/** The gateway's settings, their schema (a patch validates against it) and their defaults. */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { ollamaLaneSchema } from './governance.ts';
import { proxiesSchema } from './proxy-url.ts';
import {
  commandsSettingsSchema,
  DEFAULT_COMMANDS,
  DEFAULT_LOOP_DETECTION,
  DEFAULT_SESSIONS,
  loopDetectionPatchSchema,
  loopDetectionSettingsSchema,
  sessionSettingsSchema,
} from './guardrails.ts';

export const timeoutsSchema = lazySchema(() =>
  z
    .object({
      connectMs: z.number().int().positive(),
      firstByteMs: z.number().int().positive(),
      idleMs: z.number().int().positive(),
      totalMs: z.number().int().positive(),
    })
    .strict(),
);

export const cacheSettingsSchema = lazySchema(() => z.object({ maxMb: z.number().int().min(1).max(100_000) }).strict());

/**
 * GET /metrics (Prometheus text format): off by default; answered only with
 * `Authorization: Bearer <token>` (this token, or the dashboard's admin token). The token is a
 * secret: the control API shows it masked and exports leave it out.
 */
export const metricsSettingsSchema = lazySchema(() =>
  z
    .object({
      enabled: z.boolean(),
      token: z
        .string()
        .min(16, 'a metrics token must be at least 16 characters')
        .max(200)
        .regex(/^[\x21-\x7e]+$/, 'a metrics token is printable characters without spaces')
        .nullable(),
    })
    .strict(),
);
export type MetricsSettings = z.infer<typeof metricsSettingsSchema>;
/** When an unreachable provider is skipped (routing/circuit-breakers.ts; status in routing-health.ts). */
export const circuitBreakerSettingsSchema = lazySchema(() =>
  z
    .object({
      /** Connection failures (or timeouts before the first byte) in a row that open the circuit. */
      failures: z.number().int().min(1).max(100),
      /** How long an open circuit skips the provider before a background probe. */
      openSeconds: z.number().int().min(1).max(3600),
    })
    .strict(),
);
export type CircuitBreakerSettings = z.infer<typeof circuitBreakerSettingsSchema>;

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerSettings = { failures: 3, openSeconds: 30 };

/** A DNS name or an IP address, without scheme, port or path. */
const publicHostSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/, 'a host name like switchboard.example.com (no scheme, port or path)'),
);

export const settingsSchema = lazySchema(() =>
  z
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
       * Team mode only: the names clients reach the team server by (`switchboard.example.com`),
       * accepted in the Host header with or without a port beside the loopback names.
       */
      publicHosts: z.array(publicHostSchema).max(100),
      /**
       * Team mode behind a load balancer: whose X-Forwarded-For / X-Forwarded-Proto to believe for
       * the client's address and scheme: false (nobody), true (the peer, whoever it is), a number of
       * proxy hops, or addresses / CIDR ranges (`10.0.0.0/8, 127.0.0.1`). Read when the server starts.
       */
      trustProxy: z.union([z.boolean(), z.number().int().min(1).max(10), z.string().trim().min(1).max(1000)]),
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
      /** In-chat commands (`!/help`, `!/model(…)`) for clients with a token. */
      commands: commandsSettingsSchema,
      /** Text and tool-call loop detection (taps/). */
      loopDetection: loopDetectionSettingsSchema,
      sessions: sessionSettingsSchema,
      /** When an unreachable provider is skipped, and for how long (routing/circuit-breakers.ts). */
      circuitBreaker: circuitBreakerSettingsSchema,
      /** Outbound proxies that providers name in `proxyPool` (used round-robin; URLs sealed at rest). */
      proxies: proxiesSchema,
      /**
       * HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment for calls without an explicit proxy.
       * null: the host's default (on in the desktop app, off for `serve`).
       */
      useSystemProxy: z.boolean().nullable(),
      /** PEM certificates of a private CA trusted for https:// outbound proxies (added to the system roots). */
      proxyCa: z
        .string()
        .max(1_000_000)
        .refine((pem) => pem.includes('-----BEGIN CERTIFICATE-----'), 'proxyCa must hold PEM certificates (-----BEGIN CERTIFICATE-----)')
        .nullable(),
    })
    .strict(),
);
export type Settings = z.infer<typeof settingsSchema>;
/** Settings whose patch may name only some of their fields (merged one level deep, two for loop detection's tool calls). */
export const NESTED_SETTINGS = ['timeouts', 'cache', 'metrics', 'commands', 'loopDetection', 'sessions', 'circuitBreaker'] as const satisfies ReadonlyArray<keyof Settings>;
export const settingsPatchSchema = lazySchema(() =>
  settingsSchema
    .partial()
    .extend({
      timeouts: timeoutsSchema.partial().optional(),
      cache: cacheSettingsSchema.partial().optional(),
      metrics: metricsSettingsSchema.partial().optional(),
      commands: commandsSettingsSchema.partial().optional(),
      loopDetection: loopDetectionPatchSchema.optional(),
      sessions: sessionSettingsSchema.partial().optional(),
      circuitBreaker: circuitBreakerSettingsSchema.partial().optional(),
    })
    .strict(),
);
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
  publicHosts: [],
  trustProxy: false,
  upstreamConnectionsPerHost: 128,
  theme: 'system',
  launchAtLogin: false,
  startProxyOnLaunch: false,
  onboardingComplete: false,
  cache: { maxMb: 256 },
  ollamaLane: { limits: {} },
  pacingMaxWaitMs: 30_000,
  metrics: { enabled: false, token: null },
  commands: DEFAULT_COMMANDS,
  loopDetection: DEFAULT_LOOP_DETECTION,
  sessions: DEFAULT_SESSIONS,
  circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
  proxies: [],
  useSystemProxy: null,
  proxyCa: null,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A partial patch over a nested setting: fields left out keep their value, nested objects likewise. */
function mergePlain(current: unknown, patch: unknown): unknown {
  if (patch === undefined) return current;
  if (!isPlainObject(current) || !isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = mergePlain(current[key], value);
  return merged;
}

/**
 * Settings with a patch applied (not validated: the store checks the result). Top-level settings
 * are replaced; the NESTED_SETTINGS keep the fields the patch leaves out.
 */
export function mergeSettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(patch)) if (value !== undefined) next[name] = value;
  for (const name of NESTED_SETTINGS) next[name] = mergePlain(current[name], patch[name]);
  return next as Settings;
}

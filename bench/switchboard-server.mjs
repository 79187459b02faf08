// Switchboard's engine for the bench, configured against the mock: providers of each kind that
// exist in this build, aliases per scenario, a plain client token and a governed one (every limit
// set, none reached). Prints "port token governedToken".
//
// The team scenario runs it as the instances of a team server: SB_BENCH_STORE (postgres://…),
// SB_BENCH_SHARED (redis://…) and SB_BENCH_SECRET_KEY (64 hex) make it a team-mode instance on
// that store; with SB_BENCH_JOIN=1 it configures nothing (the first instance did, in the store
// they share) and prints "port - -".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createGateway } from '../dist/proxy/index.js';

const [upstream, history, guards] = process.argv.slice(2); // guards: noguards | metrics | (none)
const { SB_BENCH_STORE: store, SB_BENCH_SHARED: shared, SB_BENCH_SECRET_KEY: secretKey, SB_BENCH_JOIN: joining } = process.env;
const team = store ? { store, shared, secretKey: Buffer.from(secretKey ?? '', 'hex'), team: {} } : {};
// The h2 scenarios: the TLS mock (https, h2 and http/1.1 by ALPN) and the CA that signed its certificate.
const { SB_BENCH_TLS_UPSTREAM: tlsUpstream, SB_BENCH_CA: caFile } = process.env;
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
// Logs go to stderr: stdout carries only the "port token governedToken" line the runner reads.
const gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'warn' }, pino.destination(2)), recordHistory: history !== 'off', ...team, ...(caFile ? { upstreamCa: readFileSync(caFile, 'utf8') } : {}) });
const c = gateway.control;

/**
 * A provider is created disabled, given its key, then enabled: created enabled without a key, its
 * model discovery would run at once and fail ("model discovery failed", no key yet).
 */
async function addProvider(input) {
  await c.createProvider({ ...input, enabled: false });
  await c.addKey({ providerId: input.id, secret: 'sk-bench' });
  await c.updateProvider({ id: input.id, enabled: true });
}

/** Providers, aliases, prices and the two client tokens; returns the tokens. */
async function configure() {
  // The guardrails scenarios compare against an engine with loop detection and in-chat commands off (set before any
  // provider exists: a settings change refreshes model discovery, whose warnings go to stdout).
  if (guards === 'noguards') await c.updateSettings({ loopDetection: { enabled: false, toolCalls: { enabled: false } }, commands: { enabled: false } });
  // The metrics scenarios compare against an engine with GET /metrics on (every request counted in
  // the Prometheus registry); nothing scrapes it during the run, as between a real server's scrapes.
  if (guards === 'metrics') await c.updateSettings({ metrics: { enabled: true, token: 'bench-metrics-token-0123456789' } });
  // 1,000 concurrent slow streams to one host (bench/figures.mjs), all from one client, need as
  // many upstream slots for that client: the fair queue keeps the last eighth of the setting for
  // light clients (upstream/fair-scheduler.ts), so 1,100 let one client hold 962 and queued the
  // last 38 streams until others ended (~1.6 s: that was the printed p99). 1,200 leaves it 1,050.
  await c.updateSettings({ upstreamConnectionsPerHost: 1200 });
  await addProvider({ id: 'mock', kind: 'openai', baseUrl: `${upstream}/v1` });
  await c.createAlias({ alias: 'bench', targets: [{ provider: 'mock', model: 'bench-model' }] });
  // A model that streams like a real one: a chunk every 100 ms (the mock's "-slow" models).
  await c.createAlias({ alias: 'bench-slow', targets: [{ provider: 'mock', model: 'bench-model-slow' }] });
  // The same target with the response cache on (the cache scenarios).
  await c.createAlias({ alias: 'bench-cached', targets: [{ provider: 'mock', model: 'bench-model' }], cache: { ttlSeconds: 3600 } });
  for (const [id, kind, baseUrl] of [['mock-anthropic', 'anthropic', upstream], ['mock-gemini', 'gemini', upstream]]) {
    try {
      await addProvider({ id, kind, baseUrl });
      await c.createAlias({ alias: `bench-${kind}`, targets: [{ provider: id, model: 'bench-model' }] });
    } catch (error) {
      console.error(`bench: ${kind} provider unavailable: ${error.message}`);
    }
  }
  // The same target behind a provider with pacing limits no run reaches (the governance scenarios).
  await addProvider({ id: 'mock-paced', kind: 'openai', baseUrl: `${upstream}/v1`, limits: { rpm: 100_000_000, tpm: 1_000_000_000_000, concurrency: 100_000 } });
  await c.createAlias({ alias: 'bench-paced', targets: [{ provider: 'mock-paced', model: 'bench-model' }] });
  // The same answers from the TLS mock over HTTP/1.1 and over HTTP/2 (the h2 scenarios).
  if (tlsUpstream) {
    for (const [id, http2] of [['mock-tls-h1', false], ['mock-tls-h2', true]]) {
      await addProvider({ id, kind: 'openai', baseUrl: `${tlsUpstream}/v1`, http2 });
      await c.createAlias({ alias: `bench-${id.slice(5)}`, targets: [{ provider: id, model: 'bench-model' }] });
    }
  }
  await c.setPrice({ model: 'bench-model', inputPerMillion: 0.01, outputPerMillion: 0.01 });
  const { token } = await c.createClientToken({ name: 'bench' });
  const { token: governed } = await c.createClientToken({
    name: 'bench-governed',
    expiresAt: Date.now() + 365 * 86_400_000,
    models: ['bench', 'bench-*'],
    limits: { rpm: 100_000_000, tpm: 1_000_000_000_000, concurrency: 100_000, maxRequests: 1_000_000_000_000, dailyBudgetUsd: 1_000_000, monthlyBudgetUsd: 10_000_000 },
  });
  return [token, governed];
}

const [token, governed] = joining === '1' ? ['-', '-'] : await configure();
const status = await gateway.start();
console.log(`${status.port} ${token} ${governed}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, async () => {
  await gateway.close({ drainTimeoutMs: 100 });
  // Each start made its own data folder (SQLite, history, journal): a run of the bench starts
  // dozens of engines, and their folders stayed in the temp folder.
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});

// Switchboard's engine for the bench, configured against the mock: providers of each kind that
// exist in this build, aliases per scenario, one client token. Prints "port token".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createGateway } from '../dist/proxy/index.js';

const [upstream, history] = process.argv.slice(2);
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
const gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'warn' }), recordHistory: history !== 'off' });
const c = gateway.control;
await c.createProvider({ id: 'mock', kind: 'openai', baseUrl: `${upstream}/v1` });
await c.addKey({ providerId: 'mock', secret: 'sk-bench' });
await c.createAlias({ alias: 'bench', targets: [{ provider: 'mock', model: 'bench-model' }] });
// The same target with the response cache on (the cache scenarios).
await c.createAlias({ alias: 'bench-cached', targets: [{ provider: 'mock', model: 'bench-model' }], cache: { ttlSeconds: 3600 } });
for (const [id, kind, baseUrl] of [['mock-anthropic', 'anthropic', upstream], ['mock-gemini', 'gemini', upstream]]) {
  try {
    await c.createProvider({ id, kind, baseUrl });
    await c.addKey({ providerId: id, secret: 'sk-bench' });
    await c.createAlias({ alias: `bench-${kind}`, targets: [{ provider: id, model: 'bench-model' }] });
  } catch (error) {
    console.error(`bench: ${kind} provider unavailable: ${error.message}`);
  }
}
const { token } = await c.createClientToken({ name: 'bench' });
const status = await gateway.start();
console.log(`${status.port} ${token}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, async () => {
  await gateway.close({ drainTimeoutMs: 100 });
  process.exit(0);
});

// @vitest-environment node
/**
 * A gateway pays at start only for what it uses (issue 18: start time and idle memory): the
 * built engine, started with a provider and answering /health, has not loaded the packages of
 * features it was not configured for — ioredis (only `--shared`), pg (only `--store postgres://`), socks (only a socks5 outbound
 * proxy), AWS's signer and event-stream codec (only a Bedrock provider) — nor what it never uses:
 * undici's index (fetch, WebSocket, cache stores: upstream/undici-lean.ts takes only the agents and
 * the request API) and Fastify's schema compilers (Ajv, fast-json-stringify's compiler: bodies are checked by
 * wire/body-schema.ts). The features themselves are tested with them loaded (test/shared,
 * test/accounts/outbound-proxies, test/bedrock).
 *
 * The packages every start needs (Fastify, pino, zod, undici's agents) are bundled into dist/proxy
 * (one file to read and compile instead of ~240 CommonJS modules: scripts/build.mjs), so they never
 * show in Node's module cache; the bundle's source map says what went in, and it must not have
 * taken in what stays lazy (a bundled package would dodge the module-cache check below).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-lazy-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Runs in a fresh Node process (the test runner's own module cache says nothing about the engine's).
const script = `
import { createRequire } from 'node:module';
const { createGateway } = await import(${JSON.stringify(join(root, 'dist/proxy/index.js'))});
const gateway = await createGateway({ dataDir: ${JSON.stringify(dataDir)}, port: 0 });
await gateway.control.createProvider({ id: 'p', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', enabled: false });
const { port } = await gateway.start();
const health = await fetch('http://127.0.0.1:' + port + '/health');
const loaded = Object.keys(createRequire(import.meta.url).cache);
await gateway.close({ drainTimeoutMs: 100 });
console.log(JSON.stringify({ health: health.status, loaded }));
`;

describe('lazy modules', () => {
  it('a started gateway has not loaded the packages of unconfigured features', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const { health, loaded } = JSON.parse(out.trim().split('\n').at(-1)!) as { health: number; loaded: string[] };
    expect(health).toBe(200);
    // The check can see packages at all: better-sqlite3 is loaded through the same cache.
    expect(loaded.some((path) => /node_modules[\\/]better-sqlite3[\\/]/.test(path))).toBe(true);
    const optional = loaded.filter((path) => /node_modules[\\/](ioredis|socks|@smithy|pg|pg-pool|pg-protocol|gpt-tokenizer|yaml|prom-client)[\\/]/.test(path));
    expect(optional).toEqual([]);
    // undici is bundled: none of its files load from node_modules before the first upstream call
    // (then only llhttp's WebAssembly does), its index least of all.
    const unused = loaded.filter((path) => /node_modules[\\/](undici[\\/]|ajv|fast-json-stringify[\\/]index\.js)/.test(path));
    expect(unused).toEqual([]);
  });

  it('the engine bundle holds what every start loads and none of what stays lazy', () => {
    for (const entry of ['index.js', 'cli.cjs']) {
      const map = JSON.parse(readFileSync(join(root, 'dist', 'proxy', `${entry}.map`), 'utf8')) as { sources: string[] };
      const packages = new Set(map.sources.map((source) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(source)?.[1]).filter(Boolean));
      for (const bundled of ['fastify', 'pino', 'zod', 'undici']) expect(packages, `${entry} bundles ${bundled}`).toContain(bundled);
      // Of undici, the agents and the request API (upstream/undici-lean.ts): not its index (fetch,
      // WebSocket, cache stores, mocks), nor llhttp's WebAssembly (~400 KB of base64, loaded from
      // node_modules at the first HTTP/1.1 connection).
      const undici = map.sources.filter((source) => /node_modules[\\/]undici[\\/]/.test(source)).map((source) => source.replace(/.*node_modules[\\/]undici[\\/]/, ''));
      expect(undici).toContain('lib/dispatcher/agent.js');
      expect(undici).toContain('lib/api/api-request.js');
      expect(undici.filter((source) => /^index|lib[\\/](cache|mock|interceptor)[\\/]|websocket|eventsource|llhttp[\\/].*wasm/.test(source))).toEqual([]);
      // Lazy or native: loaded from node_modules when (and if) used. fast-json-stringify's serializer is
      // bundled (Fastify's error serializer needs it at start); its compiler (index.js) is not.
      const lazy = ['better-sqlite3', 'gpt-tokenizer', 'ioredis', 'pg', 'socks', 'yaml', 'prom-client', 'ajv', 'light-my-request', '@smithy'];
      expect([...packages].filter((name) => lazy.some((prefix) => name!.startsWith(prefix)))).toEqual([]);
      expect(map.sources.filter((source) => /fast-json-stringify[\\/]index\.js$/.test(source))).toEqual([]);
    }
  });
});

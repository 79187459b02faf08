/**
 * The first hour, through the real CLI process: the config file is declarative across restarts,
 * the dashboard's admin token is stable and rotatable, a busy port is explained (and its config
 * value not saved), the banner holds no JSON, doctor reports with an exit code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { run, runAsync, startServe, stopServe } from './cli-process.ts';

const TOKEN = 'sb-first-hour-token-0123456789';
let upstream: FakeOpenAi;
const folders: string[] = [];

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-first-hour-'));
  folders.push(dir);
  return dir;
}

function writeConfig(dir: string, config: unknown): string {
  const path = join(dir, 'my.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

const provider = (keys: string[]) => ({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys });

beforeAll(async () => {
  upstream = await startFakeOpenAi();
});
afterAll(async () => {
  await upstream.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('serve --config is declarative across restarts', { timeout: 90_000 }, () => {
  it('removes an alias dropped from the file and replaces a changed key, saying so in one line', async () => {
    const dataDir = folder();
    const config = writeConfig(dataDir, {
      providers: [provider(['sk-first-key'])],
      models: [{ alias: 'keep', targets: ['fake/model-a'] }, { alias: 'drop', targets: ['fake/model-b'] }],
      clients: [{ name: 'ide', token: TOKEN }],
    });
    const first = await startServe(['--port', '0', '--data-dir', dataDir, '--config', config]);
    expect(first.output()).toContain('1 provider added (fake); 2 aliases added (keep, drop); 1 client added (ide); 1 key added');
    expect(await stopServe(first)).toBe(0);

    writeConfig(dataDir, { providers: [provider(['sk-second-key'])], models: [{ alias: 'keep', targets: ['fake/model-a'] }], clients: [{ name: 'ide', token: TOKEN }] });
    const second = await startServe(['--port', '0', '--data-dir', dataDir, '--config', config]);
    try {
      expect(second.output()).toMatch(/Config .*my\.json: 1 alias removed \(drop\); 1 key added, 1 key removed\n/);
      const client = new OpenAI({ baseURL: `${second.baseUrl}/v1`, apiKey: TOKEN, maxRetries: 0 });
      const gone = await client.chat.completions.create({ model: 'drop', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
      expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
      await client.chat.completions.create({ model: 'keep', messages: [{ role: 'user', content: 'hi' }] });
      expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.headers.authorization).toBe('Bearer sk-second-key');
    } finally {
      await stopServe(second);
    }
    const third = await startServe(['--port', '0', '--data-dir', dataDir, '--config', config]);
    expect(third.output()).toMatch(/Config .*my\.json: no changes\n/);
    await stopServe(third);
  });
});

describe('the dashboard admin token', { timeout: 90_000 }, () => {
  it('stays the same across restarts and changes only with admin-token --rotate, which a running serve honours at once', async () => {
    const dataDir = folder();
    const tokenIn = (output: string) => /#token=([\w-]+)/.exec(output)?.[1];
    const first = await startServe(['--port', '0', '--data-dir', dataDir]);
    const token = tokenIn(first.output());
    expect(token).toMatch(/^[\w-]{20,}$/);
    await stopServe(first);

    const second = await startServe(['--port', '0', '--data-dir', dataDir]);
    try {
      expect(tokenIn(second.output())).toBe(token);
      const call = (admin: string) => fetch(`${second.baseUrl}/_switchboard/api/getStatus`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-admin': admin }, body: '{}' });
      expect((await call(token!)).status).toBe(200);

      const rotated = run(['admin-token', '--rotate', '--data-dir', dataDir]);
      expect(rotated.code).toBe(0);
      const fresh = tokenIn(rotated.stdout);
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(token);
      expect((await call(token!)).status).toBe(401);
      expect((await call(fresh!)).status).toBe(200);
      expect(tokenIn(run(['admin-token', '--data-dir', dataDir]).stdout)).toBe(fresh);
    } finally {
      await stopServe(second);
    }
  });
});

describe('a busy port', { timeout: 90_000 }, () => {
  it('says another Switchboard holds it, instead of advising to add it as an Ollama provider', async () => {
    const running = await startServe(['--port', '0', '--data-dir', folder()]);
    try {
      const port = new URL(running.baseUrl).port;
      const result = run(['serve', '--port', port, '--data-dir', folder()]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Another Switchboard (0.1.0) is already running on port ${port}`);
      expect(result.stderr).not.toMatch(/Ollama/);
    } finally {
      await stopServe(running);
    }
  });

  it('does not save a settings.port from the config when the start then fails', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = folder();
    try {
      const config = writeConfig(dataDir, { settings: { port, recordBodies: true } });
      const result = run(['serve', '--data-dir', dataDir, '--config', config]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port}`);
    } finally {
      blocker.close();
    }
    const exported = JSON.parse(run(['export', '--data-dir', dataDir]).stdout) as { settings: { port: number; recordBodies: boolean } };
    expect(exported.settings.port).not.toBe(port);
    expect(exported.settings.recordBodies).toBe(true);
  });
});

describe('logs', { timeout: 90_000 }, () => {
  it('keeps JSON out of the banner, and writes human lines with --log-format pretty', async () => {
    const dataDir = folder();
    // An unreachable provider makes discovery log a warning right after the start.
    const config = writeConfig(dataDir, { providers: [{ id: 'down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys: ['sk-x'] }] });
    const pretty = await startServe(['--port', '0', '--data-dir', dataDir, '--config', config, '--log-format', 'pretty']);
    await expect.poll(() => pretty.output(), { timeout: 30_000 }).toMatch(/^\d\d:\d\d:\d\d WARN  model discovery failed/m);
    await stopServe(pretty);
    expect(pretty.output()).not.toMatch(/^\{/m);

    const json = await startServe(['--port', '0', '--data-dir', dataDir, '--log-format', 'json']);
    await expect.poll(() => json.output(), { timeout: 30_000 }).toMatch(/^\{"level":40,.*"msg":"model discovery failed"/m);
    await stopServe(json);
    expect(json.output()).not.toMatch(/Server listening/);
  });
});

describe('switchboard doctor', { timeout: 90_000 }, () => {
  it('prints one line per check with the fix, and exits 1 when a key is refused', async () => {
    const dataDir = folder();
    const config = writeConfig(dataDir, { providers: [provider(['sk-good-key-1234'])], models: [{ alias: 'a', targets: ['fake/fake-small'] }], clients: [{ name: 'ide', token: TOKEN }] });
    const serving = await startServe(['--port', '0', '--data-dir', dataDir, '--config', config]);
    await stopServe(serving);

    const healthy = await runAsync(['doctor', '--data-dir', dataDir]);
    expect(healthy.stdout).toMatch(/^✓ Data folder: .* private to this user/m);
    expect(healthy.stdout).toMatch(/^✓ Provider fake, key "config key 1" \(sk-…1234\): Connected/m);
    expect(healthy.stdout).toMatch(/^✓ Alias a: 1 target\(s\), all usable$/m);
    expect(healthy.stdout).toMatch(/^✓ Client tokens: 1 live token/m);

    upstream.enqueue('/v1/models', (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    const broken = await runAsync(['doctor', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^✗ Provider fake, key "config key 1" \(sk-…1234\): upstream_auth_failed.* → Replace this key of "fake"/m);
    expect(broken.stdout).toMatch(/^\d check\(s\) failed/m);
  });

  it('works before the first start without creating the data folder', () => {
    const dataDir = join(folder(), 'not-yet');
    const result = run(['doctor', '--data-dir', dataDir, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { checks: Array<{ id: string; status: string; fix: string | null }> };
    expect(report.checks.find((check) => check.id === 'data-dir')).toMatchObject({ status: 'fail', fix: expect.stringContaining('switchboard serve') });
    expect(run(['history', '--data-dir', dataDir]).code).toBe(1);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';

import { root, run, startServe } from './cli-process.ts';

describe('switchboard serve, history and export as a user runs them', () => {
  let upstream: FakeOpenAi;
  let dataDir: string;
  let configPath: string;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
    configPath = join(dataDir, 'my.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['${FAKE_API_KEY}'] }],
        models: [{ alias: 'coder', targets: ['fake/qwen/qwen3-coder'] }],
        clients: [{ name: 'my-ide', token: 'sb-test-token-0123456789' }],
        settings: { requireClientToken: true },
      }),
    );
  });
  afterAll(async () => {
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves with a config, routes an SDK request, records it, and stops cleanly on SIGTERM', async () => {
    const serve = await startServe(['--port', '0', '--data-dir', dataDir, '--config', configPath], { FAKE_API_KEY: 'sk-from-env' });
    expect(serve.output()).toMatch(/OpenAI base URL:\s+http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(serve.output()).toMatch(/Config .*my\.json: 1 provider added \(fake\)/);
    const client = new OpenAI({ baseURL: `${serve.baseUrl}/v1`, apiKey: 'sb-test-token-0123456789', maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    const seen = upstream.requests.find((r) => r.path === '/v1/chat/completions')!;
    expect(seen.body!.model).toBe('qwen/qwen3-coder');
    expect(seen.headers.authorization).toBe('Bearer sk-from-env');

    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    expect(serve.output()).toMatch(/Stopped/);

    const history = run(['history', '--data-dir', dataDir, '--json']);
    expect(history.code).toBe(0);
    const rows = JSON.parse(history.stdout) as Array<Record<string, unknown>>;
    expect(Object.keys(rows[0]!).sort()).toEqual(
      ['id', 'startedAt', 'durationMs', 'ttftMs', 'dialect', 'endpoint', 'client', 'requestedModel', 'provider', 'upstreamModel', 'attempts', 'status', 'errorCode', 'stream', 'inputTokens', 'outputTokens'].sort(),
    );
    expect(rows[0]).toMatchObject({ client: 'my-ide', requestedModel: 'coder', provider: 'fake', upstreamModel: 'qwen/qwen3-coder', status: 200, inputTokens: 11, outputTokens: 7 });

    const exported = run(['export', '--data-dir', dataDir]);
    expect(exported.stdout).not.toContain('sk-from-env');
    expect(exported.stdout).not.toContain('sb-test-token-0123456789');
    expect(JSON.parse(exported.stdout).models[0].alias).toBe('coder');
    // Three processes start in turn here; on a busy machine that alone can take 20 s.
  }, 60_000);

  it("starts with the README's command, npm run serve -- --config my.json", async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'switchboard-npm-serve-'));
    const child = spawn('npm', ['run', 'serve', '--', '--port', '0', '--config', configPath], {
      cwd: root,
      env: { ...process.env, FAKE_API_KEY: 'sk-from-env', SWITCHBOARD_DATA_DIR: fresh },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: npm does not pass signals on to the script it runs.
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const baseUrl = await new Promise<string>((resolve, reject) => {
      // It may first build the dashboard (a fresh clone, or sources newer than the build).
      const timer = setTimeout(() => reject(new Error(`npm run serve did not start:\n${output}`)), 150_000);
      child.stdout!.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    // The dashboard works with nothing else typed: the command built it if it had to.
    const dashboard = await fetch(`${baseUrl}/_switchboard/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toMatch(/<script type="module"[^>]+src="\.\/assets\//);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(fresh, { recursive: true, force: true });
  }, 180_000);

  it('exits non-zero naming the port when it is in use, without hopping', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = run(['serve', '--port', String(port), '--data-dir', dataDir]);
    blocker.close();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`Port ${port}`);
    expect(result.stderr).not.toMatch(/listening/);
  });

  it('refuses to listen on a non-loopback address', () => {
    const result = run(['serve', '--host', '0.0.0.0', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/loopback only/);
  });

  it('rejects a bad config naming the file and the path inside it, importing nothing', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'switchboard-badcfg-'));
    const bad = join(fresh, 'bad.json');
    writeFileSync(bad, JSON.stringify({ providers: [{ id: 'ok', kind: 'openai', baseUrl: 'https://example.com/v1' }, { id: 'x', kind: 'nope', baseUrl: 'not a url' }] }));
    const result = run(['serve', '--port', '0', '--data-dir', fresh, '--config', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.json');
    expect(result.stderr).toMatch(/providers\[1\]\.(kind|baseUrl)/);
    const exported = run(['export', '--data-dir', fresh]);
    expect(exported.stdout).not.toContain('"ok"');
    rmSync(fresh, { recursive: true, force: true });
  });
});

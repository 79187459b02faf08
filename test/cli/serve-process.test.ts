import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'switchboard.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const stdout = execFileSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; output: () => string; baseUrl: string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 15_000);
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => output, baseUrl: match[1]!, exit });
      }
    };
    child.stdout!.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

describe('switchboard serve, history and export as a user runs them', () => {
  let upstream: FakeOpenAi;
  let dataDir: string;
  let configPath: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'proxy', '--quiet'], { cwd: root });
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
    expect(serve.output()).toMatch(/Imported .*my\.json: 1 provider/);
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
      const timer = setTimeout(() => reject(new Error(`npm run serve did not start:\n${output}`)), 30_000);
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
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(fresh, { recursive: true, force: true });
  }, 60_000);

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

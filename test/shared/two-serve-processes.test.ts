/**
 * Two real `switchboard serve` processes on one data folder (one SQLite file in WAL mode: each
 * process writes its own history journal, history/journal-slot.ts) and one Redis-compatible
 * server, as a team runs them behind a load balancer: a configuration change made on A reaches B
 * at once (pushed through the shared server, not found at B's next restart), and killing A with
 * SIGKILL in the middle of a stream loses nothing B acknowledged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { slowStream, startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { run, startServe, stopServe, type Serving } from '../cli/cli-process.ts';

/** This file's own logical database on the run's server, emptied before each test. */
const DB = 4;
const TOKEN = 'sb-two-processes-token-0123456789';

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

function chat(serving: Serving, model: string, stream = false): Promise<Response> {
  return fetch(`${serving.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Hi' }] }),
  });
}

function adminTokenOf(serving: Serving): string {
  const token = /#token=([\w-]+)/.exec(serving.output())?.[1];
  if (!token) throw new Error(`no admin token in:\n${serving.output()}`);
  return token;
}

async function control(serving: Serving, operation: string, body: unknown): Promise<Response> {
  return fetch(`${serving.baseUrl}/_switchboard/api/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchboard-admin': adminTokenOf(serving) },
    body: JSON.stringify(body),
  });
}

describe('two serve processes on one data folder and one shared server', () => {
  let upstream: FakeOpenAi;
  let dataDir: string;
  let configPath: string;
  const running: Serving[] = [];

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(async () => {
    const redis = new Redis(`${inject('redisUrl')}/${DB}`);
    await redis.flushdb();
    redis.disconnect();
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-two-serve-'));
    configPath = join(dataDir, 'team.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream'] }],
        models: [{ alias: 'coder', targets: ['fake/fake-large'] }],
        clients: [{ name: 'member', token: TOKEN }],
      }),
    );
  });
  afterEach(async () => {
    upstream.route = undefined;
    for (const serving of running.splice(0)) {
      if (serving.child.exitCode === null && serving.child.signalCode === null) await stopServe(serving);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** In turn: the second applies the same config (no changes) to the database the first created. */
  async function startBoth(): Promise<[Serving, Serving]> {
    const args = ['--port', '0', '--data-dir', dataDir, '--config', configPath, '--shared', `${inject('redisUrl')}/${DB}`, '--log-format', 'json'];
    for (let i = 0; i < 2; i++) running.push(await startServe(args));
    return [running[0]!, running[1]!];
  }

  it('a change made on A (an alias, a setting) is used by B without a restart', async () => {
    const [a, b] = await startBoth();
    expect((await chat(b, 'late')).status).toBe(404);
    expect((await control(a, 'createAlias', { alias: 'late', targets: [{ provider: 'fake', model: 'fake-small' }] })).status).toBe(200);
    const aliasMs = await until(async () => (await chat(b, 'late')).status === 200, 'B to route the alias created on A');

    // A setting B keeps in memory: with client tokens no longer required, B takes a tokenless call.
    const tokenless = () => fetch(`${b.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'Hi' }] }) });
    expect((await tokenless()).status).toBe(401);
    expect((await control(a, 'updateSettings', { requireClientToken: false })).status).toBe(200);
    const settingMs = await until(async () => (await tokenless()).status === 200, 'B to use the setting changed on A');
    // Pushed, not polled: well under the second the issue asks for (the bound leaves room for a loaded machine).
    console.info(`config push A → B: alias after ${aliasMs} ms, setting after ${settingMs} ms`);
    expect(aliasMs).toBeLessThan(5000);
    expect(settingMs).toBeLessThan(5000);
  }, 120_000);

  it('SIGKILL of A in the middle of a stream loses nothing B acknowledged', async () => {
    const [a, b] = await startBoth();
    const acknowledged: string[] = [];
    let stop = false;
    let failures = 0;
    // B serves a steady sequence of requests before, during and after the kill.
    const steady = (async () => {
      while (!stop) {
        const answer = await chat(b, 'coder');
        if (answer.status === 200) {
          await answer.json();
          acknowledged.push(answer.headers.get('x-request-id')!);
        } else failures += 1;
      }
    })();

    // Only the stream is slow (B's steady calls keep the default quick answer).
    upstream.route = (record) => (record.body?.stream === true ? slowStream(200, 50) : undefined);
    const streamed = await chat(a, 'coder', true);
    expect(streamed.status).toBe(200);
    const reader = streamed.body!.getReader();
    await reader.read();
    const before = acknowledged.length;
    a.child.kill('SIGKILL');
    await a.exit;
    // The stream to A is cut; B goes on answering.
    await expect((async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })()).rejects.toThrow();
    await until(async () => acknowledged.length >= before + 5, 'B to answer after the kill');
    stop = true;
    await steady;
    expect(failures).toBe(0);

    expect(await stopServe(b)).toBe(0);
    const history = run(['history', '--data-dir', dataDir, '--json', '--limit', '1000']);
    expect(history.code).toBe(0);
    const ids = new Set((JSON.parse(history.stdout) as Array<{ id: string }>).map((row) => row.id));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});

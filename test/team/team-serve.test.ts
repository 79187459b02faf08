/**
 * `switchboard serve` in team mode as a team runs it: the PostgreSQL store (`--store`) makes it a
 * team server, which may listen on 0.0.0.0 with TLS from --tls-cert/--tls-key, and then closes the
 * tokenless lane; the admin token lives in the store, so a second instance accepts it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bin } from '../cli/cli-process.ts';
import { createTestDatabase } from '../fixtures/postgres-server.ts';
import { makeTestCertificate, type TestCertificate } from '../fixtures/test-certificate.ts';

interface TeamProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
}

function startTeamServe(args: string[], env: NodeJS.ProcessEnv): Promise<TeamProcess> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /listening on https:\/\/0\.0\.0\.0:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, port: Number(match[1]), output: () => output, exit });
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

describe('serve in team mode (--store postgres://…)', () => {
  let certificate: TestCertificate;
  let agent: Agent;
  const dirs: string[] = [];
  const running: TeamProcess[] = [];

  beforeAll(() => {
    certificate = makeTestCertificate({ dns: ['localhost'], ip: ['127.0.0.1'] });
    agent = new Agent({ connect: { ca: certificate.cert } });
  });
  afterAll(async () => {
    for (const serving of running) {
      serving.child.kill('SIGTERM');
      await serving.exit;
    }
    await agent.close();
    certificate.remove();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 0.0.0.0 over TLS, needs a token on the Ollama routes, and any instance takes the admin token', async () => {
    const store = await createTestDatabase(inject('postgresUrl'), 'teamops');
    const env = { SWITCHBOARD_STORE: store, SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex') };
    const args = () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-team-serve-'));
      dirs.push(dataDir);
      return ['--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir, '--tls-cert', certificate.certPath, '--tls-key', certificate.keyPath, '--log-format', 'json'];
    };
    const first = await startTeamServe(args(), env);
    running.push(first);
    const second = await startTeamServe(args(), env);
    running.push(second);

    const call = (serving: TeamProcess, path: string, headers: Record<string, string> = {}, body?: string) =>
      request(`https://127.0.0.1:${serving.port}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body, dispatcher: agent });

    const health = await call(first, '/health');
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const tags = await call(first, '/api/tags');
    expect(tags.statusCode).toBe(401);
    expect(((await tags.body.json()) as { error: string }).error).toMatch(/team server needs a Switchboard client token/);

    const adminToken = /#token=([\w-]+)/.exec(first.output())?.[1];
    expect(adminToken).toBeDefined();
    for (const serving of [first, second]) {
      const status = await call(serving, '/_switchboard/api/getStatus', { 'x-switchboard-admin': adminToken! }, '{}');
      expect(status.statusCode).toBe(200);
      await status.body.dump();
    }
  }, 180_000);
});

/**
 * `switchboard serve --shared` as a user runs it: the real CLI bundle connects to the run's
 * Redis-compatible server (also through SWITCHBOARD_SHARED) and refuses an address that is not one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { run, startServe, stopServe } from '../cli/cli-process.ts';

describe('switchboard serve --shared', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-shared-cli-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('connects to the shared server named by the flag or SWITCHBOARD_SHARED, without printing its password', async () => {
    const url = new URL(inject('redisUrl'));
    url.username = 'default';
    url.password = 'not-a-real-secret';
    // The test server has no password: AUTH is refused, so the instance says it runs degraded.
    const viaFlag = await startServe(['--port', '0', '--data-dir', dataDir(), '--no-dashboard', '--log-format', 'json', '--shared', url.toString()]);
    expect(await stopServe(viaFlag)).toBe(0);
    expect(viaFlag.output()).not.toContain('not-a-real-secret');

    const viaEnv = await startServe(['--port', '0', '--data-dir', dataDir(), '--no-dashboard', '--log-format', 'json'], { SWITCHBOARD_SHARED: inject('redisUrl') });
    expect(viaEnv.output()).toContain('connected to the shared server');
    expect(await stopServe(viaEnv)).toBe(0);
  }, 120_000);

  it('refuses an address that is not a Redis or Valkey one', () => {
    const result = run(['serve', '--data-dir', dataDir(), '--shared', 'postgres://user:secret@db:5432/x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--shared must be a Redis or Valkey address like redis:\/\/host:6379/);
    expect(result.stderr).not.toContain('secret@');
  }, 60_000);
});

/**
 * Finding 9: kill -9 loses no acknowledged request. A request whose answer the client received in
 * full is in the history after the engine is killed with SIGKILL and started again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLoop } from '../fixtures/kill-loop.ts';

const root = join(import.meta.dirname, '..', '..');

describe('kill -9 loses no acknowledged request', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-kill-'));
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'proxy', '--quiet'], { cwd: root });
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('every request answered in full before a SIGKILL is in the history after the restart (5 kills under load)', async () => {
    const result = await killLoop({ dataDir, kills: 5, seed: 7, minMs: 1000, maxMs: 2000 });
    expect(result.acknowledged).toBeGreaterThanOrEqual(25);
    expect(result.lost).toEqual([]);
  }, 180_000);
});

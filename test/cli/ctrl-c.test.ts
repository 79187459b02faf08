/**
 * One Ctrl-C under `npm start`'s headless fallback: the terminal signals the whole foreground
 * process group (the launcher and serve), and the launcher passes the signal on as well. Serve
 * must drain once, not take the second copy for a second Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './cli-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-ctrl-c-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('Ctrl-C under the npm start fallback', { timeout: 90_000 }, () => {
  it.skipIf(process.platform === 'win32')('drains once when the signal reaches both the launcher and serve', async () => {
    // detached: a process group of its own, like a terminal's foreground job.
    const launcher = spawn(process.execPath, [join(root, 'scripts', 'run-headless.mjs'), '--port', '0', '--data-dir', dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    launcher.stdout!.on('data', (chunk) => (output += chunk));
    launcher.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => launcher.on('exit', (code) => resolve(code)));
    await expect.poll(() => output, { timeout: 45_000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    process.kill(-launcher.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopping Switchboard: letting running requests finish…');
    expect(output).toContain('Stopped.');
    expect(output).not.toMatch(/exiting now/);
  });
});

// @vitest-environment node
/**
 * `switchboard` loads its bundle through V8's code cache (bin/load-engine.js; issue 18, start
 * time): the first run of a command writes the cache, later runs with the same Node flags take
 * it, and a cache V8 refuses (another build, version or flags, or a damaged file) costs only the
 * compile and is written anew. Runs the real command with `serve`'s flags, in fresh processes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'switchboard.js');
const probeScript = join(root, 'test', 'fixtures', 'code-cache-probe.mjs');
const flags = readFileSync(bin, 'utf8').split('\n', 1)[0]!.replace('#!/usr/bin/env -S node', '').trim().split(/\s+/);
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

const node = (args: string[]) => execFileSync(process.execPath, [...flags, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
const probe = () => JSON.parse(node([probeScript, 'version']).trim()) as { cached: boolean; path: string };

describe('code cache of the command line', () => {
  it('a run writes the cache and the next run with the same flags takes it', () => {
    expect(node([bin, 'version'])).toContain(version);
    expect(probe().cached).toBe(true);
  });

  it('a cache V8 refuses still runs the command, and the run writes a good one', () => {
    const { path } = probe();
    writeFileSync(path, Buffer.alloc(4096, 7));
    expect(probe().cached).toBe(false);
    expect(node([bin, 'version'])).toContain(version);
    expect(probe().cached).toBe(true);
  });
});

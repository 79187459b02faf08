// Writes the `serve` command's V8 code cache beside the engine (bin/load-engine.js) by starting
// `serve` once, as users start it, and stopping it: `node scripts/warm-code-cache.mjs [APP_DIR]`.
// For installations whose app folder the server cannot write to — the Docker image runs as `node`
// over root-owned files, so without this every container start compiled the whole bundle. The
// cache is keyed by Node's flags, so the run uses the shebang's, which are also the image's entry
// point's (test/perf/serve-flags.test.ts). Fails (exit 1) when no cache was written.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const app = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const bin = join(app, 'bin', 'switchboard.js');
const engine = join(app, 'dist', 'proxy');
const flags = readFileSync(bin, 'utf8').split('\n', 1)[0].replace('#!/usr/bin/env -S node', '').trim().split(/\s+/).filter(Boolean);
const caches = () => readdirSync(engine).filter((name) => name.startsWith('cli.cjs.') && name.endsWith('.v8cache'));

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-warm-'));
try {
  // A free port on loopback and a throwaway data folder: nothing of this run stays but the cache.
  const child = spawn(process.execPath, [...flags, bin, 'serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json'], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const code = await new Promise((done, fail) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', fail);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      // Started: stop it the way users do; the cache is written as the process exits.
      if (output.includes(' listening on ')) child.kill('SIGTERM');
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(deadline);
      done(exitCode ?? signal);
    });
  });
  if (code !== 0 || !output.includes(' listening on ')) {
    console.error(`warm-code-cache: serve did not start and stop cleanly (exit ${code}):\n${output}`);
    process.exitCode = 1;
  } else if (caches().length === 0) {
    console.error(`warm-code-cache: serve ran but wrote no code cache in ${engine} (is it writable?)`);
    process.exitCode = 1;
  } else {
    console.log(`warm-code-cache: ${caches().join(', ')}`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

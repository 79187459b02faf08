// The figures of issue 18 that are not a request scenario: `serve` start to /health answering,
// the dashboard's first-load JS (gzip), and 1,000 concurrent slow streams (errors, p99 added time
// to first token, Switchboard's peak RSS while they run, the minimal pass-through's beside them).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, request } from 'undici';
import { serveNodeFlags } from './serve-flags.mjs';
import { cpuMs } from './team.mjs';

const root = new URL('..', import.meta.url).pathname;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Servers are pinned to CPU 1 and the load generator to CPU 0 when taskset exists and there are two cores. */
export const pin = existsSync('/usr/bin/taskset') && (await import('node:os')).cpus().length > 1;

/** Milliseconds from spawning `switchboard serve` to /health answering 200 (median of `runs` restarts on one data folder). */
export async function serveStartMs(runs = 3) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-serve-'));
  const times = [];
  try {
    for (let run = 0; run <= runs; run++) {
      const port = await freePort();
      const started = performance.now();
      const argv = [...serveNodeFlags(), join(root, 'bin/switchboard.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--no-dashboard', '--log-format', 'json'];
      // Pinned to the servers' core, as every server of the run: the poller below runs on the other one.
      const child = pin ? spawn('taskset', ['-c', '1', process.execPath, ...argv], { stdio: 'ignore' }) : spawn(process.execPath, argv, { stdio: 'ignore' });
      let answered = null;
      while (answered === null && performance.now() - started < 15_000) {
        try {
          const res = await request(`http://127.0.0.1:${port}/health`);
          await res.body.dump();
          if (res.statusCode === 200) answered = performance.now() - started;
        } catch {
          await sleep(2);
        }
      }
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      // The first start creates the database (migrations); restarts are what users wait for.
      if (run > 0 && answered !== null) times.push(answered);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return times.length === runs ? percentile(times, 50) : NaN;
}

/** KB of JavaScript the dashboard's first load fetches (entry scripts and module preloads, gzip), or NaN when it is not built. */
export function dashboardFirstLoadKb() {
  const dir = join(root, 'dist/renderer');
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return NaN;
  const html = readFileSync(index, 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((match) => match[1]);
  let bytes = 0;
  for (const src of new Set(scripts)) bytes += gzipSync(readFileSync(join(dir, src))).length;
  return bytes / 1024;
}

/**
 * `streams` concurrent paced streams (the mock's "-slow" model: first token at once, then one
 * chunk every 100 ms for about 3 s), straight to the mock, then through the minimal pass-through,
 * then through Switchboard. They open evenly over RAMP_MS, so all of them are open at once at the
 * end of the ramp and each first token is measured while the others stream (not behind a
 * thousand requests arriving in the same millisecond). Both proxies share one pinned core with
 * the mock, so a saturated core shows in both added p99s: the minimal's is the part no proxy on
 * that core avoids, and each proxy's CPU over its run (from /proc) says how much of the core it took.
 */
const RAMP_MS = 1500;
export async function slowStreams(direct, minimal, switchboard, streams = 1000) {
  const run = async (target, model) => {
    const pool = new Pool(target.origin, { connections: streams, pipelining: 1 });
    const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Hello, benchmark!' }] });
    const ttfts = [];
    let errors = 0;
    const cpu0 = cpuMs(target.pid);
    await Promise.all(Array.from({ length: streams }, async (_, index) => {
      await sleep((index * RAMP_MS) / streams);
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body });
        let first = null;
        let text = '';
        for await (const chunk of res.body) {
          if (first === null && chunk.includes('tok0')) first = performance.now() - t0;
          text = (text + chunk.toString()).slice(-64);
        }
        if (res.statusCode !== 200 || first === null || !text.includes('[DONE]')) errors++;
        else ttfts.push(first);
      } catch {
        errors++;
      }
    }));
    const cpuS = (cpuMs(target.pid) - cpu0) / 1000;
    await pool.close();
    return { errors, p99: percentile(ttfts, 99), cpuS };
  };
  const baseline = await run(direct, 'bench-model-slow');
  const beside = await run(minimal, 'bench-slow');
  const proxied = await run(switchboard, 'bench-slow');
  return {
    errors: proxied.errors + baseline.errors,
    addedP99: proxied.p99 - baseline.p99,
    cpuS: proxied.cpuS,
    minimal: { errors: beside.errors, addedP99: beside.p99 - baseline.p99, cpuS: beside.cpuS },
  };
}

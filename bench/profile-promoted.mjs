// What outlives the young generation, Switchboard beside the minimal pass-through under the same
// load (node bench/profile-promoted.mjs [json|sse] [requests]). Objects that die young cost a
// scavenge almost nothing; an object that survives scavenges is copied, promoted and later
// mark-compacted, which is where the engine's GC gap is (README, Performance). Each server, pinned
// to CPU 1 with the mock, gets WARM_REQUESTS (2,000) requests at c=10, then V8's sampling heap
// profiler runs over `requests` more with includeObjectsCollectedByMinorGC off: what it reports is
// what was still alive, or died only in a full GC, i.e. what survived the young generation. Printed
// per request in bytes by allocation site (bundle frames mapped back through its source map).
// FLAGS='<node flags>' replaces serve's flags (FLAGS='' for none), TARGETS=switchboard skips the
// minimal, HISTORY=off measures the engine with history off, TOP=<n> sites per target (15),
// MODEL=<alias> asks another of the bench's aliases (bench-cached: the response cache's) and
// FRESH=1 a new question per request (a cache that only misses, as the cache-miss scenarios ask).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { serveNodeFlags } from './serve-flags.mjs';

const [kind = 'sse', requests = '3000'] = process.argv.slice(2);
const N = Number(requests);
const WARM_REQUESTS = Number(process.env.WARM_REQUESTS ?? 2000);
const here = new URL('.', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'switchboard-promoted-'));
// In the server: SIGUSR2 starts the sampling, the next one writes the profile to PROMOTED_OUT.
const SAMPLER = `data:text/javascript,${encodeURIComponent(`
import { Session } from 'node:inspector'; import { writeFileSync } from 'node:fs';
const session = new Session(); session.connect(); let on = false;
process.on('SIGUSR2', () => {
  if (!on) { on = true; session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false }); return; }
  session.post('HeapProfiler.stopSampling', (error, result) => writeFileSync(process.env.PROMOTED_OUT, JSON.stringify(error ? null : result.profile)));
});`)}`;

function start(script, args, flags = [], env = {}) {
  const child = spawn('taskset', ['-c', '1', process.execPath, ...flags, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return new Promise((resolve) => { let out = ''; child.stdout.on('data', (chunk) => { out += chunk; if (out.includes('\n')) resolve({ child, line: out.trim() }); }); });
}

async function measure(name, mockOrigin) {
  const out = join(dir, `${name}.json`);
  const flags = [...(process.env.FLAGS !== undefined ? process.env.FLAGS.split(' ').filter(Boolean) : serveNodeFlags()), '--import', SAMPLER];
  const server = name === 'minimal'
    ? await start(`${here}minimal-proxy.mjs`, [mockOrigin], flags, { PROMOTED_OUT: out })
    : await start(`${here}switchboard-server.mjs`, [mockOrigin, process.env.HISTORY ?? 'on'], flags, { PROMOTED_OUT: out });
  const [port, , governed] = name === 'minimal' ? [server.line] : server.line.split(' ');
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 10 });
  const headers = { 'content-type': 'application/json', ...(governed ? { authorization: `Bearer ${governed}` } : {}) };
  const body = JSON.stringify({ model: name === 'minimal' ? 'bench' : (process.env.MODEL ?? 'bench'), messages: [{ role: 'user', content: 'Hello, benchmark!' }], stream: kind === 'sse' });
  let asked = 0;
  const next = process.env.FRESH === '1' ? () => body.replace('benchmark!', `benchmark! ${asked++}`) : () => body;
  const run = async (count) => {
    let sent = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (sent++ < count) {
        const response = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers, body: next() });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`${name}: ${response.statusCode} ${text.slice(0, 200)}`);
      }
    }));
  };
  await run(WARM_REQUESTS);
  server.child.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await run(N);
  server.child.kill('SIGUSR2');
  while (!existsSync(out)) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.child.kill();
  await pool.close();
  return JSON.parse(readFileSync(out, 'utf8'));
}

const maps = new Map();
function where(frame) {
  const { url, lineNumber, columnNumber, functionName } = frame;
  if (url.endsWith('.js') && existsSync(`${url.replace('file://', '')}.map`)) {
    const file = url.replace('file://', '');
    if (!maps.has(file)) maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
    const entry = maps.get(file).findEntry(lineNumber, columnNumber);
    if (entry?.originalSource) return `${entry.originalSource.replace(/.*\/src-proxy\//, '')}:${entry.originalLine + 1} ${functionName}`;
  }
  return `${url.replace(/.*node_modules\//, '').replace(/^node:internal\//, '')}:${lineNumber + 1} ${functionName}`;
}

function summarize(name, profile) {
  const sites = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const frames = [where(node.callFrame), ...stack].slice(0, 3);
    if (node.selfSize) {
      total += node.selfSize;
      const key = frames.join(' < ');
      sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, frames);
  };
  walk(profile.head, []);
  console.log(`\n${name}: ${(total / N / 1024).toFixed(2)} KB per request outlived the young generation (${N} ${kind} requests, c=10)`);
  for (const [site, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 15))) console.log(`${String(Math.round(bytes / N)).padStart(7)} B  ${site.slice(0, 220)}`);
}

const mock = await start(`${here}mock-upstream.mjs`, []);
const mockOrigin = `http://127.0.0.1:${mock.line}`;
try {
  for (const name of (process.env.TARGETS ?? 'minimal,switchboard').split(',')) summarize(name, await measure(name, mockOrigin));
} finally {
  mock.child.kill();
  rmSync(dir, { recursive: true, force: true });
}

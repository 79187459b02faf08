// `npm run bench`: direct-to-upstream vs a minimal Fastify + undici pass-through vs Switchboard,
// measured side by side in one run (targets interleaved per scenario, rounds repeated, medians of
// per-round ratios). Servers are pinned to CPU 1 and the load generator to CPU 0 when taskset
// exists. CPU time per request comes from /proc/<pid>/stat of each server process, the steadiest
// figure on a shared machine.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2.5);
const here = new URL('.', import.meta.url).pathname;
const pin = existsSync('/usr/bin/taskset') && (await import('node:os')).cpus().length > 1;
if (pin) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

function startProcess(script, args) {
  const cmd = pin ? 'taskset' : process.execPath;
  const argv = pin ? ['-c', '1', process.execPath, script, ...args] : [script, ...args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve({ child, line: out.trim(), pid: child.pid });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

/** The node process itself (taskset execs node, so the pid is the same). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, 100 ticks/s
}
function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const median = (values) => percentile(values, 50);

const conversation64k = (() => {
  const messages = [{ role: 'system', content: 'You are a helpful coding assistant. '.repeat(20) }];
  while (JSON.stringify(messages).length < 64 * 1024) {
    messages.push({ role: 'user', content: 'Please refactor this function and explain the change. '.repeat(12) });
    messages.push({ role: 'assistant', content: 'Here is the refactored function with an explanation of each step. '.repeat(12) });
  }
  messages.push({ role: 'user', content: 'Thanks, one more question.' });
  return messages;
})();

/** Runs `concurrency` loops for SECONDS; returns { count, latencies, ttfts, errors }. */
async function load(target, request, concurrency) {
  const pool = new Pool(target.origin, { connections: concurrency, keepAliveTimeout: 60_000, pipelining: 1 });
  const latencies = [];
  const ttfts = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  const body = JSON.stringify(request.body(target));
  // A fresh question per request (cache-miss scenarios): the marker in the prompt becomes a counter.
  let asked = 0;
  const nextBody = body.includes(UNIQUE) ? () => body.replace(UNIQUE, `${process.pid}-${asked++}`) : () => body;
  const headers = { 'content-type': 'application/json', ...target.headers, ...(request.headers ?? {}) };
  async function loop() {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: request.path, method: 'POST', headers, body: nextBody() });
        let first = null;
        for await (const chunk of res.body) if (first === null && (!request.stream || chunk.includes('tok0'))) first = performance.now();
        if (res.statusCode !== 200) errors++;
        latencies.push(performance.now() - t0);
        if (first !== null) ttfts.push(first - t0);
      } catch {
        errors++;
      }
    }
  }
  const cpu0 = cpuMs(target.pid);
  await Promise.all(Array.from({ length: concurrency }, loop));
  const cpu = cpuMs(target.pid) - cpu0;
  await pool.close();
  return { count: latencies.length, rps: latencies.length / SECONDS, p50: median(latencies), p99: percentile(latencies, 99), ttft: median(ttfts), cpuPerRequest: cpu / Math.max(1, latencies.length), errors };
}

const UNIQUE = '@@N@@';
const fresh = [{ role: 'user', content: `Hello, benchmark! ${UNIQUE}` }];
const chat = (stream, messages = [{ role: 'user', content: 'Hello, benchmark!' }]) => ({ path: '/v1/chat/completions', stream, body: (t) => ({ model: t.model ?? 'bench', messages, stream }) });
const ALL_SCENARIOS = [
  { name: 'chat json c=1', request: chat(false), concurrency: 1, targets: ['direct', 'minimal', 'switchboard'] },
  { name: 'chat json c=10', request: chat(false), concurrency: 10, targets: ['direct', 'minimal', 'switchboard', 'switchboard-nohistory'] },
  { name: 'chat json c=100', request: chat(false), concurrency: 100, targets: ['direct', 'minimal', 'switchboard'] },
  { name: 'chat json 64KB c=10', request: chat(false, conversation64k), concurrency: 10, targets: ['direct', 'minimal', 'switchboard'] },
  { name: 'chat SSE c=1', request: chat(true), concurrency: 1, targets: ['direct', 'minimal', 'switchboard'] },
  { name: 'chat SSE c=10', request: chat(true), concurrency: 10, targets: ['direct', 'minimal', 'switchboard', 'switchboard-nohistory'] },
  // Translated paths (client dialect ≠ provider kind), compared with the minimal pass-through.
  { name: 'anthropic→openai SSE c=10', translated: true, concurrency: 10, targets: ['minimal', 'switchboard'], request: { path: '/v1/messages', stream: true, headers: { 'anthropic-version': '2023-06-01' }, body: (t) => (t.name === 'minimal' ? chat(true).body(t) : { model: 'bench', max_tokens: 512, stream: true, messages: [{ role: 'user', content: 'Hello, benchmark!' }] }) }, pathFor: { minimal: '/v1/chat/completions' } },
  { name: 'openai→anthropic SSE c=10', translated: true, concurrency: 10, targets: ['minimal', 'switchboard'], request: { ...chat(true), body: (t) => ({ model: t.name === 'minimal' ? 'bench' : 'bench-anthropic', stream: true, messages: [{ role: 'user', content: 'Hello, benchmark!' }] }) } },
  { name: 'ollama→openai NDJSON c=10', translated: true, concurrency: 10, targets: ['minimal', 'switchboard'], request: { path: '/api/chat', stream: true, body: (t) => (t.name === 'minimal' ? chat(true).body(t) : { model: 'bench', messages: [{ role: 'user', content: 'Hello, benchmark!' }] }) }, pathFor: { minimal: '/v1/chat/completions' } },
  { name: 'responses→chat SSE c=10', translated: true, concurrency: 10, targets: ['minimal', 'switchboard'], request: { path: '/v1/responses', stream: true, body: (t) => (t.name === 'minimal' ? chat(true).body(t) : { model: 'bench', input: 'Hello, benchmark!', stream: true }) }, pathFor: { minimal: '/v1/chat/completions' } },
  // The response cache (issue 15): an alias with the cache on, every request a new question (all
  // misses: key, lookup, fill), against the same alias without it; then the same question (hits).
  { name: 'cache miss: chat json c=10', cache: true, concurrency: 10, targets: ['switchboard', 'switchboard-cache'], request: chat(false, fresh) },
  { name: 'cache miss: anthropic→openai SSE c=10', cache: true, concurrency: 10, targets: ['switchboard', 'switchboard-cache'], request: { path: '/v1/messages', stream: true, headers: { 'anthropic-version': '2023-06-01' }, body: (t) => ({ model: t.model ?? 'bench', max_tokens: 512, stream: true, messages: fresh }) } },
  { name: 'cache hit: chat json c=10', cache: true, concurrency: 10, targets: ['switchboard', 'switchboard-cache'], request: chat(false) },
  // Governance (issue 13): a client with every limit set (none reached) against one with none,
  // and a provider with pacing limits against one without, same mock behind both.
  { name: 'governance: chat json c=10', governance: true, concurrency: 10, targets: ['switchboard', 'switchboard-governed', 'switchboard-paced'], request: chat(false) },
  { name: 'governance: chat SSE c=10', governance: true, concurrency: 10, targets: ['switchboard', 'switchboard-governed', 'switchboard-paced'], request: chat(true) },
  // Loop detection on (the default) against the same engine with it off: the fast path (tool-loop
  // check, session id) and a translated stream (the text loop tap on every delta).
  { name: 'guardrails: chat SSE c=10', concurrency: 10, targets: ['switchboard', 'switchboard-noguards'], request: chat(true) },
  { name: 'guardrails: openai→anthropic SSE c=10', translated: true, concurrency: 10, targets: ['switchboard', 'switchboard-noguards'], request: { ...chat(true), body: () => ({ model: 'bench-anthropic', stream: true, messages: [{ role: 'user', content: 'Hello, benchmark!' }] }) } },
  { name: 'chat→gemini SSE c=10', translated: true, concurrency: 10, targets: ['minimal', 'switchboard'], request: { ...chat(true), body: (t) => ({ model: t.name === 'minimal' ? 'bench' : 'bench-gemini', stream: true, messages: [{ role: 'user', content: 'Hello, benchmark!' }] }) } },
];

// BENCH_ONLY=text runs the scenarios whose name contains it (e.g. BENCH_ONLY=cache).
const SCENARIOS = ALL_SCENARIOS.filter((scenario) => !process.env.BENCH_ONLY || scenario.name.includes(process.env.BENCH_ONLY));

const mock = await startProcess(`${here}mock-upstream.mjs`, []);
const upstreamOrigin = `http://127.0.0.1:${mock.line}`;
const minimal = await startProcess(`${here}minimal-proxy.mjs`, [upstreamOrigin]);
const idleStart = performance.now();
const sb = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'on']);
const sbOff = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'off']);
const sbNoGuards = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'on', 'noguards']);
await sleep(1500);
const idleRss = rssMb(sb.pid);
const [sbPort, sbToken, sbGovernedToken] = sb.line.split(' ');
const [sbOffPort, sbOffToken] = sbOff.line.split(' ');
const [sbNgPort, sbNgToken] = sbNoGuards.line.split(' ');
const targets = {
  direct: { name: 'direct', origin: upstreamOrigin, pid: mock.pid, headers: { authorization: 'Bearer sk-bench' }, model: 'bench-model' },
  minimal: { name: 'minimal', origin: `http://127.0.0.1:${minimal.line}`, pid: minimal.pid, headers: {} },
  switchboard: { name: 'switchboard', origin: `http://127.0.0.1:${sbPort}`, pid: sb.pid, headers: { authorization: `Bearer ${sbToken}` } },
  'switchboard-cache': { name: 'switchboard-cache', origin: `http://127.0.0.1:${sbPort}`, pid: sb.pid, headers: { authorization: `Bearer ${sbToken}` }, model: 'bench-cached' },
  'switchboard-governed': { name: 'switchboard-governed', origin: `http://127.0.0.1:${sbPort}`, pid: sb.pid, headers: { authorization: `Bearer ${sbGovernedToken}` } },
  'switchboard-paced': { name: 'switchboard-paced', origin: `http://127.0.0.1:${sbPort}`, pid: sb.pid, headers: { authorization: `Bearer ${sbToken}` }, model: 'bench-paced' },
  'switchboard-noguards': { name: 'switchboard-noguards', origin: `http://127.0.0.1:${sbNgPort}`, pid: sbNoGuards.pid, headers: { authorization: `Bearer ${sbNgToken}` } },
  'switchboard-nohistory': { name: 'switchboard-nohistory', origin: `http://127.0.0.1:${sbOffPort}`, pid: sbOff.pid, headers: { authorization: `Bearer ${sbOffToken}` } },
};

let peakRss = idleRss;
let minimalPeakRss = rssMb(minimal.pid);
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rssMb(sb.pid));
  minimalPeakRss = Math.max(minimalPeakRss, rssMb(minimal.pid));
}, 100);
console.log(`Switchboard bench: ${ROUNDS} round(s) × ${SECONDS}s per run, servers ${pin ? 'pinned to CPU 1, load on CPU 0' : 'unpinned'}; Node ${process.version}\n`);

const results = new Map();
for (const scenario of SCENARIOS) {
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...scenario.targets];
    for (let i = 0; i < round; i++) order.push(order.shift());
    for (const name of order) {
      const target = targets[name];
      const request = { ...scenario.request, path: scenario.pathFor?.[name] ?? scenario.request.path };
      await load(target, request, Math.min(scenario.concurrency, 2)); // warm-up
      const result = await load(target, request, scenario.concurrency);
      const key = `${scenario.name}|${name}`;
      results.set(key, [...(results.get(key) ?? []), result]);
    }
  }
}
clearInterval(sampler);

const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const rows = [];
const roundRatio = (scenario, a, b, field) => {
  const ra = results.get(`${scenario}|${a}`);
  const rb = results.get(`${scenario}|${b}`);
  if (!ra || !rb) return NaN;
  return median(ra.map((r, i) => r[field] / rb[i][field]));
};
for (const scenario of SCENARIOS) {
  for (const name of scenario.targets) {
    const runs = results.get(`${scenario.name}|${name}`);
    const pick = (f) => median(runs.map((r) => r[f]));
    rows.push([
      scenario.name, name, fmt(pick('rps'), 0),
      scenario.targets.includes('direct') ? fmt(roundRatio(scenario.name, name, 'direct', 'rps')) : '',
      fmt(pick('p50')), fmt(pick('p99')), scenario.request.stream ? fmt(pick('ttft')) : '',
      fmt(pick('cpuPerRequest'), 3), name === 'direct' ? '' : fmt(roundRatio(scenario.name, name, 'minimal', 'cpuPerRequest')),
      String(runs.reduce((s, r) => s + r.errors, 0)),
    ]);
  }
}
const header = ['scenario', 'target', 'req/s', '÷direct', 'p50 ms', 'p99 ms', 'TTFT ms', 'CPU ms/req', 'CPU ÷minimal', 'errors'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));

const ttftAdded = (s) => {
  const withProxy = results.get(`${s}|switchboard`);
  const direct = results.get(`${s}|direct`);
  return withProxy && direct ? median(withProxy.map((r, i) => r.ttft - direct[i].ttft)) : NaN;
};
/** CPU/request and req/s of a governed target against plain Switchboard, per governance scenario. */
const governanceRatios = (target) =>
  SCENARIOS.filter((s) => s.governance)
    .map((s) => `${s.name.slice(12)}: CPU/req ${fmt(roundRatio(s.name, target, 'switchboard', 'cpuPerRequest'))}, req/s ${fmt(roundRatio(s.name, target, 'switchboard', 'rps'))}`)
    .join('; ');
const historyCost = roundRatio('chat json c=10', 'switchboard', 'switchboard-nohistory', 'cpuPerRequest');
const historyCostStream = roundRatio('chat SSE c=10', 'switchboard', 'switchboard-nohistory', 'cpuPerRequest');
console.log(`
Targets (issue 2)                                   measured
  pass-through CPU/request ÷ minimal  ≤ 1.30        ${fmt(roundRatio('chat json c=10', 'switchboard', 'minimal', 'cpuPerRequest'))} (c=10), ${fmt(roundRatio('chat json c=100', 'switchboard', 'minimal', 'cpuPerRequest'))} (c=100)
  added TTFT p50 at c=1               ≤ 1 ms        ${fmt(ttftAdded('chat SSE c=1'), 3)} ms
  history on ÷ off (CPU/request)      ≤ 1.05        ${fmt(historyCost)} (JSON c=10), ${fmt(historyCostStream)} (SSE c=10)
  idle RSS of the engine              ≤ 90 MB       ${fmt(idleRss, 1)} MB
  peak RSS under the bench            ≤ 180 MB      ${fmt(peakRss, 1)} MB (minimal pass-through: ${fmt(minimalPeakRss, 1)} MB)
  translated paths: req/s ÷ minimal   ≥ 0.80        ${SCENARIOS.filter((s) => s.translated).map((s) => `${s.name.split(' ')[0]} ${fmt(roundRatio(s.name, 'switchboard', 'minimal', 'rps'))}`).join(', ')}
  cache on, all misses ÷ no cache     ≤ 1.05        ${SCENARIOS.filter((s) => s.cache && s.name.startsWith('cache miss')).map((s) => `${s.name.slice(12)}: CPU/req ${fmt(roundRatio(s.name, 'switchboard-cache', 'switchboard', 'cpuPerRequest'))}, req/s ${fmt(roundRatio(s.name, 'switchboard-cache', 'switchboard', 'rps'))}`).join('; ')}
  cache hits ÷ no cache (CPU/req)                   ${fmt(roundRatio('cache hit: chat json c=10', 'switchboard-cache', 'switchboard', 'cpuPerRequest'))}
  every client limit set ÷ none       ≤ 1.05        ${governanceRatios('switchboard-governed')}
  provider pacing limits ÷ none       ≤ 1.05        ${governanceRatios('switchboard-paced')}`);

for (const proc of [mock, minimal, sb, sbOff, sbNoGuards]) proc.child.kill('SIGTERM');
await sleep(200);
process.exit(0);

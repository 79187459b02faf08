// `npm run bench`: direct-to-upstream vs a minimal Fastify + undici pass-through vs Switchboard,
// measured side by side in one run (targets interleaved per scenario, rounds repeated, medians of
// per-round ratios), then every figure of issue 18 with its target beside it. Servers are pinned
// to CPU 1 and the load generator to CPU 0 when taskset exists. CPU time per request comes from
// /proc/<pid>/stat of each server process, the steadiest figure on a shared machine. Translated
// streams/s is read on the servers' core: streams per second of the CPU the target and the mock
// used (every thread's schedstat), what streams/s is when that core is theirs alone; wall-clock
// streams/s follows what other processes leave of the core and is printed beside it. Switchboard
// runs with the Node flags `serve` uses (bench/serve-flags.mjs). The team scenario (BENCH_ONLY=team)
// adds two team-mode instances on PostgreSQL + a Redis-compatible server (bench/team.mjs).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { ALL_SCENARIOS, UNIQUE } from './scenarios.mjs';
import { dashboardFirstLoadKb, pin, serveStartMs, slowStreams } from './figures.mjs';
import { serveNodeFlags } from './serve-flags.mjs';
import { cpuMs, startTeamTarget } from './team.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2.5);
const WARM_REQUESTS = Number(process.env.BENCH_WARM_REQUESTS ?? 2000);
/** A first warm-up gives up after this long (a target that cannot answer must not stall the bench). */
const WARM_CAP_SECONDS = 60;
const here = new URL('.', import.meta.url).pathname;
if (pin) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

function startProcess(script, args, flags = [], env = {}) {
  const cmd = pin ? 'taskset' : process.execPath;
  const argv = [...flags, script, ...args];
  const child = spawn(cmd, pin ? ['-c', '1', process.execPath, ...argv] : argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve({ child, line: out.trim(), pid: child.pid });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

/** The mock on https (h2 and http/1.1 by ALPN) with a self-signed certificate made in `dir` (Debian's openssl). */
function startTlsMock(dir) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return startProcess(`${here}mock-upstream.mjs`, [], [], { MOCK_TLS_KEY: join(dir, 'key.pem'), MOCK_TLS_CERT: join(dir, 'cert.pem') });
}

/** CPU ms of what serves a target, by part: its node process (taskset execs node, so the pid is the same), or the team's parts. */
const cpuParts = (target) => (target.cpuParts ? target.cpuParts() : { [target.name]: cpuMs(target.pid) });
function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
/**
 * The median, the two middle values averaged when the count is even: with the default two rounds
 * `percentile(…, 50)` took the higher of the two ratios, which overstated a "≤" figure and
 * flattered a "≥" one.
 */
const median = (values) => {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/**
 * CPU ms of every thread of a process from /proc/<pid>/task/<tid>/schedstat (nanoseconds of run
 * time; /proc/<pid>/stat counts 10 ms ticks, too coarse for a run of a few hundred streams).
 */
function threadCpuMs(pid) {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    return NaN;
  }
  return ns / 1e6;
}

const openPools = (target, concurrency) => (target.origins ?? [target.origin]).map((origin) => new Pool(origin, { connections: concurrency, keepAliveTimeout: 60_000, pipelining: 1 }));

/**
 * A fresh question per request (cache-miss scenarios): the marker in the prompt becomes a counter
 * kept for the whole run. (A counter per load() started at 0 in the warm-up and again in each
 * measured run, so after the warm-up a "miss" scenario asked what the cache already held: hits.)
 */
let asked = 0;
const freshQuestion = (body) => body.replace(UNIQUE, `${process.pid}-${asked++}`);

/**
 * Runs `concurrency` loops on `pools` for `seconds` (round-robin over a target's origins), and on
 * past it until `atLeast` requests are done (at most `capSeconds`); returns what happened, for
 * figures().
 */
async function measure(target, pools, request, concurrency, seconds, atLeast, capSeconds = 4 * seconds) {
  let turn = 0;
  const latencies = [];
  const ttfts = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const cap = started + capSeconds * 1000;
  const body = JSON.stringify(request.body(target));
  const nextBody = body.includes(UNIQUE) ? () => freshQuestion(body) : () => body;
  const headers = { 'content-type': 'application/json', ...target.headers, ...(request.headers ?? {}) };
  async function loop() {
    while (performance.now() < until || (latencies.length + errors < atLeast && performance.now() < cap)) {
      const t0 = performance.now();
      try {
        const res = await pools[turn++ % pools.length].request({ path: request.path, method: 'POST', headers, body: nextBody() });
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
  // The servers' core: the target and the mock it calls (the mock alone for direct), whose CPU per
  // request bounds req/s on that core when nothing else runs there.
  const onCore = target.pid === mockPid ? [mockPid] : [target.pid, mockPid];
  const core0 = onCore.map(threadCpuMs);
  const cpu0 = cpuParts(target);
  await Promise.all(Array.from({ length: concurrency }, loop));
  const cpu1 = cpuParts(target);
  const elapsedMs = performance.now() - started;
  const coreMs = onCore.reduce((sum, pid, i) => sum + threadCpuMs(pid) - core0[i], 0);
  const cpu = Object.fromEntries(Object.keys(cpu1).map((part) => [part, cpu1[part] - cpu0[part]]));
  return { latencies, ttfts, errors, cpu, coreMs, elapsedMs };
}

/** The figures of one or more runs of a target taken as one (the slices of a round). */
function figures(runs) {
  const latencies = runs.flatMap((run) => run.latencies);
  const ttfts = runs.flatMap((run) => run.ttfts);
  const sum = (pick) => runs.reduce((total, run) => total + pick(run), 0);
  const elapsedMs = sum((run) => run.elapsedMs);
  const coreMs = sum((run) => run.coreMs);
  const count = Math.max(1, latencies.length);
  const parts = Object.fromEntries(Object.keys(runs[0].cpu).map((part) => [part, sum((run) => run.cpu[part]) / count]));
  const cpuPerRequest = Object.values(parts).reduce((total, ms) => total + ms, 0);
  // coreRps: requests per second of the servers' core given to the target and the mock alone;
  // coreShare: the part of the run's wall time they ran (the rest went to other processes or idle).
  return {
    count: latencies.length, rps: latencies.length / (elapsedMs / 1000), coreRps: (1000 * latencies.length) / coreMs, coreShare: coreMs / elapsedMs,
    p50: median(latencies), p99: percentile(latencies, 99), ttft: median(ttfts), cpuPerRequest, parts, errors: sum((run) => run.errors),
  };
}

/** One run of a target: SECONDS, and on until `atLeast` requests are done (at most `capSeconds`). */
async function load(target, request, concurrency, atLeast = 0, capSeconds = 4 * SECONDS) {
  const pools = openPools(target, concurrency);
  const run = await measure(target, pools, request, concurrency, SECONDS, atLeast, capSeconds);
  await Promise.all(pools.map((pool) => pool.close()));
  return figures([run]);
}

/**
 * One round of a scenario with `slices`: its targets take turns in that many short runs (the
 * order reversed each turn), each of SECONDS ÷ slices and on until atLeast ÷ slices requests,
 * and each target's slices make its figures for the round. On a shared machine the load from
 * other processes drifts over seconds; targets measured one after the other in whole runs saw
 * different drifts (per-round ratios 0.4–1.2 at load 9–13), slices see nearly the same.
 */
async function slicedRound(scenario, order, requestFor) {
  const pools = new Map(order.map((name) => [name, openPools(targets[name], scenario.concurrency)]));
  const runs = new Map(order.map((name) => [name, []]));
  for (let slice = 0; slice < scenario.slices; slice++) {
    const turn = slice % 2 === 0 ? order : [...order].reverse();
    for (const name of turn) {
      runs.get(name).push(await measure(targets[name], pools.get(name), requestFor(name), scenario.concurrency, SECONDS / scenario.slices, Math.ceil((scenario.atLeast ?? 0) / scenario.slices)));
    }
  }
  await Promise.all([...pools.values()].flat().map((pool) => pool.close()));
  return new Map(order.map((name) => [name, figures(runs.get(name))]));
}

// BENCH_ONLY=text runs the scenarios whose name contains it (e.g. BENCH_ONLY=cache), or only the
// one named exactly so; several texts separated by "|" add up (BENCH_ONLY='chat json c=10|chat SSE c=1').
const only = process.env.BENCH_ONLY?.split('|') ?? [];
const picks = (text, name) => (ALL_SCENARIOS.some((s) => s.name === text) ? name === text : name.includes(text));
let SCENARIOS = ALL_SCENARIOS.filter((scenario) => only.length === 0 || only.some((text) => picks(text, scenario.name)));

const flags = serveNodeFlags();
const mock = await startProcess(`${here}mock-upstream.mjs`, []);
const upstreamOrigin = `http://127.0.0.1:${mock.line}`;
const mockPid = mock.pid;
const minimal = await startProcess(`${here}minimal-proxy.mjs`, [upstreamOrigin]);
// The h2 scenarios' TLS mock (a certificate made for the run) and the engine's providers on it, only when they run.
const tlsDir = SCENARIOS.some((scenario) => scenario.h2) ? mkdtempSync(join(tmpdir(), 'switchboard-bench-tls-')) : null;
const tlsMock = tlsDir ? await startTlsMock(tlsDir) : null;
const tlsEnv = tlsMock ? { SB_BENCH_TLS_UPSTREAM: `https://127.0.0.1:${tlsMock.line}`, SB_BENCH_CA: join(tlsDir, 'cert.pem') } : {};
const sb = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'on'], flags, tlsEnv);
const sbOff = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'off'], flags);
const sbNoGuards = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'on', 'noguards'], flags);
const sbMetrics = await startProcess(`${here}switchboard-server.mjs`, [upstreamOrigin, 'on', 'metrics'], flags);
// The team scenario's servers, only when it runs; without PostgreSQL or redis-server it says so and is left out.
const team = SCENARIOS.some((scenario) => scenario.team) ? await startTeamTarget({ startProcess, script: `${here}switchboard-server.mjs`, upstreamOrigin, flags, pin }) : null;
if (team?.missing) {
  console.log(`Team scenario not run: ${team.missing}\n`);
  SCENARIOS = SCENARIOS.filter((scenario) => !scenario.team);
}
await sleep(1500);
const idleRss = rssMb(sb.pid);
const [sbPort, sbToken, sbGovernedToken] = sb.line.split(' ');
const [sbOffPort, , sbOffGoverned] = sbOff.line.split(' ');
const [sbNgPort, , sbNgGoverned] = sbNoGuards.line.split(' ');
const [sbMxPort, , sbMxGoverned] = sbMetrics.line.split(' ');
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const sbOrigin = `http://127.0.0.1:${sbPort}`;
// "switchboard" is the engine with every feature on: the governed client (every limit set).
const targets = {
  direct: { name: 'direct', origin: upstreamOrigin, pid: mock.pid, headers: bearer('sk-bench'), model: 'bench-model' },
  minimal: { name: 'minimal', origin: `http://127.0.0.1:${minimal.line}`, pid: minimal.pid, headers: {} },
  switchboard: { name: 'switchboard', origin: sbOrigin, pid: sb.pid, headers: bearer(sbGovernedToken) },
  'switchboard-ungoverned': { name: 'switchboard-ungoverned', origin: sbOrigin, pid: sb.pid, headers: bearer(sbToken) },
  'switchboard-cache': { name: 'switchboard-cache', origin: sbOrigin, pid: sb.pid, headers: bearer(sbGovernedToken), model: 'bench-cached' },
  'switchboard-paced': { name: 'switchboard-paced', origin: sbOrigin, pid: sb.pid, headers: bearer(sbGovernedToken), model: 'bench-paced' },
  'switchboard-noguards': { name: 'switchboard-noguards', origin: `http://127.0.0.1:${sbNgPort}`, pid: sbNoGuards.pid, headers: bearer(sbNgGoverned) },
  'switchboard-metrics': { name: 'switchboard-metrics', origin: `http://127.0.0.1:${sbMxPort}`, pid: sbMetrics.pid, headers: bearer(sbMxGoverned) },
  'switchboard-tls-h1': { name: 'switchboard-tls-h1', origin: sbOrigin, pid: sb.pid, headers: bearer(sbGovernedToken), model: 'bench-tls-h1' },
  'switchboard-tls-h2': { name: 'switchboard-tls-h2', origin: sbOrigin, pid: sb.pid, headers: bearer(sbGovernedToken), model: 'bench-tls-h2' },
  'switchboard-nohistory': { name: 'switchboard-nohistory', origin: `http://127.0.0.1:${sbOffPort}`, pid: sbOff.pid, headers: bearer(sbOffGoverned) },
  'switchboard-team': team?.target,
};

let peakRss = idleRss;
let minimalPeakRss = rssMb(minimal.pid);
let phasePeak = 0;
const sampler = setInterval(() => {
  const rss = rssMb(sb.pid);
  peakRss = Math.max(peakRss, rss);
  phasePeak = Math.max(phasePeak, rss);
  minimalPeakRss = Math.max(minimalPeakRss, rssMb(minimal.pid));
}, 100);
console.log(`Switchboard bench: ${ROUNDS} round(s) × ${SECONDS}s per run, servers ${pin ? 'pinned to CPU 1, load on CPU 0' : 'unpinned'}; Node ${process.version}; serve flags: ${flags.join(' ') || '(none)'}\n`);

const results = new Map();
for (const scenario of SCENARIOS) {
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...scenario.targets];
    for (let i = 0; i < round; i++) order.push(order.shift());
    const requestFor = (name) => ({ ...scenario.request, path: scenario.pathFor?.[name] ?? scenario.request.path });
    const record = (name, result) => results.set(`${scenario.name}|${name}`, [...(results.get(`${scenario.name}|${name}`) ?? []), result]);
    for (const name of order) {
      // Warm-up. A fresh process compiles its hot paths over its first few thousand requests; a
      // 64 KB conversation gets too few of them in SECONDS (the minimal proxy's CPU per request
      // read 3-10× its steady figure in its first seconds), so every target's first warm-up
      // runs WARM_REQUESTS requests at least: the same count for each, whatever it is. Its cap is
      // WARM_CAP_SECONDS: the 4 × SECONDS of a run stopped it at 400–1,500 streams on a loaded machine.
      const warm = await load(targets[name], requestFor(name), Math.min(scenario.concurrency, 2), round === 0 ? WARM_REQUESTS : 0, WARM_CAP_SECONDS);
      if (round === 0 && warm.count + warm.errors < WARM_REQUESTS) console.log(`(${scenario.name}: ${name}'s warm-up stopped at ${warm.count} of ${WARM_REQUESTS} requests, its time cap)`);
      if (!scenario.slices) record(name, await load(targets[name], requestFor(name), scenario.concurrency, scenario.atLeast));
    }
    if (scenario.slices) for (const [name, result] of await slicedRound(scenario, order, requestFor)) record(name, result);
  }
}
// 1,000 slow streams at once (skipped by BENCH_ONLY unless it names them).
const runSlow = only.length === 0 || only.some((text) => 'slow streams'.includes(text));
phasePeak = 0;
// The minimal's peak under the request scenarios stays the figure printed beside Switchboard's;
// its peak with the 1,000 streams is read on its own.
const minimalRequestsPeak = minimalPeakRss;
minimalPeakRss = 0;
const slow = runSlow ? await slowStreams(targets.direct, targets.minimal, targets.switchboard) : null;
const slowPeak = phasePeak;
const minimalSlowPeak = minimalPeakRss;
clearInterval(sampler);
// Start is measured on a machine at rest: every server of the run has exited first (a start taken
// while six engines and PostgreSQL shut down competes with their shutdown).
const exits = [mock, minimal, sb, sbOff, sbNoGuards, sbMetrics, tlsMock].filter(Boolean).map((proc) => {
  const exited = proc.child.exitCode !== null || proc.child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  return exited;
});
await Promise.all(exits);
if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
await team?.close?.();
const startMs = await serveStartMs();
const dashboardKb = dashboardFirstLoadKb();

// BENCH_RESULTS=<file>: every run's figures as JSON (scenario|target → one entry per round), for a closer look.
if (process.env.BENCH_RESULTS) writeFileSync(process.env.BENCH_RESULTS, JSON.stringify(Object.fromEntries(results), null, 1));
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
      fmt(pick('cpuPerRequest'), 3), name === 'direct' || !scenario.targets.includes('minimal') ? '' : fmt(roundRatio(scenario.name, name, 'minimal', 'cpuPerRequest')),
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
// Each round's figures, so a median can be read against its own spread: CPU per request, the ratio
// to the minimal in the same round, and how many requests the window held.
console.log('\nPer round (CPU ms/request, ÷ minimal in that round, requests):');
for (const scenario of SCENARIOS) {
  for (const name of scenario.targets) {
    if (name === 'direct') continue;
    const runs = results.get(`${scenario.name}|${name}`);
    const minimalRuns = name !== 'minimal' && scenario.targets.includes('minimal') ? results.get(`${scenario.name}|minimal`) : null;
    const cells = runs.map((r, i) => `${fmt(r.cpuPerRequest, 3)}${minimalRuns ? ` (${fmt(r.cpuPerRequest / minimalRuns[i].cpuPerRequest)})` : ''} n=${r.count}`);
    console.log(`  ${scenario.name} | ${name}: ${cells.join('; ')}`);
  }
}

const ttftAdded = (s) => {
  const withProxy = results.get(`${s}|switchboard`);
  const direct = results.get(`${s}|direct`);
  return withProxy && direct ? median(withProxy.map((r, i) => r.ttft - direct[i].ttft)) : NaN;
};
const cpuVsMinimal = (s) => fmt(roundRatio(s, 'switchboard', 'minimal', 'cpuPerRequest'));
const versus = (s, a, b) => `CPU/req ${fmt(roundRatio(s, a, b, 'cpuPerRequest'))}, req/s ${fmt(roundRatio(s, a, b, 'rps'))}`;
const pairName = (s) => s.name.split(' ').slice(0, -2).join(' ');
/** The range of the core's share the target and the mock ran during a scenario's runs (100 %: the core was theirs alone). */
const coreShares = (s) => {
  const shares = ['minimal', 'switchboard'].flatMap((name) => results.get(`${s}|${name}`).map((r) => 100 * r.coreShare));
  return `${fmt(Math.min(...shares), 0)}–${fmt(Math.max(...shares), 0)} %`;
};
/** The lowest and highest per-round ratio of Switchboard to the minimal: the spread the median hides. */
const ratioRange = (s, field) => {
  const ratios = results.get(`${s}|switchboard`).map((r, i) => r[field] / results.get(`${s}|minimal`)[i][field]);
  return `${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))}`;
};
const each = (filter, text) => SCENARIOS.filter(filter).map((s) => text(s)).join('; ');
console.log(`
Targets (issue 18; ratios are medians of per-round ratios)          target      measured
  same-dialect CPU/request ÷ minimal, small, c=10 / c=100           ≤ 1.30      ${cpuVsMinimal('chat json c=10')} / ${cpuVsMinimal('chat json c=100')}
  same-dialect CPU/request ÷ minimal, 64 KB conversation c=10       ≤ 1.20      ${cpuVsMinimal('chat json 64KB c=10')} (ending in a tool result: ${cpuVsMinimal('chat json 64KB tool result c=10')})
  same-dialect CPU/stream ÷ minimal, SSE c=1 / c=10                 ≤ 1.30      ${cpuVsMinimal('chat SSE c=1')} / ${cpuVsMinimal('chat SSE c=10')}
  translated streams/s ÷ minimal, on the servers' core              ≥ 0.80      ${each((s) => s.translated, (s) => `${pairName(s)} ${fmt(roundRatio(s.name, 'switchboard', 'minimal', 'coreRps'))} (${ratioRange(s.name, 'coreRps')})`)}
    wall-clock streams/s ÷ minimal (servers' share of their core)               ${each((s) => s.translated, (s) => `${pairName(s)} ${fmt(roundRatio(s.name, 'switchboard', 'minimal', 'rps'))} (${ratioRange(s.name, 'rps')}; ${coreShares(s.name)})`)}
  added time to first token p50, c=1                                ≤ 0.30 ms   ${fmt(ttftAdded('chat SSE c=1'), 3)} ms
  idle RSS of the engine                                            ≤ 80 MB     ${fmt(idleRss, 1)} MB
  peak RSS under the bench                                          ≤ 160 MB    ${fmt(peakRss, 1)} MB (minimal pass-through: ${fmt(minimalRequestsPeak, 1)} MB)
  1,000 concurrent slow streams: peak RSS, errors, p99 added TTFT   ≤ 250 MB, 0, ≤ 5 ms   ${slow ? `${fmt(slowPeak, 1)} MB, ${slow.errors}, ${fmt(slow.addedP99)} ms` : 'not run'}
      the minimal pass-through beside them (same pinned core, the mock on it too)       ${slow ? `${fmt(minimalSlowPeak, 1)} MB, ${slow.minimal.errors}, ${fmt(slow.minimal.addedP99)} ms; server CPU over the run: Switchboard ${fmt(slow.cpuS)} s, minimal ${fmt(slow.minimal.cpuS)} s` : ''}
  history on ÷ off (CPU/request)                                    ≤ 1.05      ${fmt(roundRatio('chat json c=10', 'switchboard', 'switchboard-nohistory', 'cpuPerRequest'))} (JSON c=10), ${fmt(roundRatio('chat SSE c=10', 'switchboard', 'switchboard-nohistory', 'cpuPerRequest'))} (SSE c=10)
  serve start to /health answering (restart, median of 3)           ≤ 400 ms    ${fmt(startMs, 0)} ms
  dashboard first load, JS gzip                                     ≤ 250 KB    ${Number.isFinite(dashboardKb) ? `${fmt(dashboardKb, 1)} KB` : 'not built (npm run build)'}
  cache on, all misses ÷ no cache                                   ≤ 1.05      ${each((s) => s.cache && s.name.startsWith('cache miss'), (s) => `${s.name.slice(12)}: ${versus(s.name, 'switchboard-cache', 'switchboard')}`)}
  cache hits ÷ no cache (CPU/req)                                               ${fmt(roundRatio('cache hit: chat json c=10', 'switchboard-cache', 'switchboard', 'cpuPerRequest'))}
  every client limit set ÷ none                                     ≤ 1.05      ${each((s) => s.governance, (s) => `${s.name.slice(12)}: ${versus(s.name, 'switchboard', 'switchboard-ungoverned')}`)}
  provider pacing limits ÷ none                                     ≤ 1.05      ${each((s) => s.governance, (s) => `${s.name.slice(12)}: ${versus(s.name, 'switchboard-paced', 'switchboard')}`)}
  loop detection on ÷ off                                                       ${each((s) => s.name.startsWith('guardrails'), (s) => `${s.name.slice(12)}: ${versus(s.name, 'switchboard', 'switchboard-noguards')}`)}
  metrics on ÷ off                                                              ${each((s) => s.name.startsWith('metrics'), (s) => `${s.name.slice(9)}: ${versus(s.name, 'switchboard-metrics', 'switchboard')}`)}`);
const addedP50 = (s, name) => {
  const withProxy = results.get(`${s}|${name}`);
  const direct = results.get(`${s}|direct`);
  return withProxy && direct ? median(withProxy.map((r, i) => r.p50 - direct[i].p50)) : NaN;
};
const h2Scenarios = SCENARIOS.filter((s) => s.h2);
if (h2Scenarios.length) {
  const p50 = (s, name) => fmt(median(results.get(`${s}|${name}`).map((r) => r.p50)));
  console.log(`
HTTP/2 to the provider (issue 18): the engine's provider on https, HTTP/2 (one multiplexed connection) ÷ HTTP/1.1 (a pool)
${h2Scenarios.map((s) => `  ${s.name.slice(4)}: ${versus(s.name, 'switchboard-tls-h2', 'switchboard-tls-h1')}; p50 ${p50(s.name, 'switchboard-tls-h2')} vs ${p50(s.name, 'switchboard-tls-h1')} ms`).join('\n')}`);
}
const teamScenarios = SCENARIOS.filter((s) => s.team);
if (teamScenarios.length) {
  const split = (s) => {
    const runs = results.get(`${s}|switchboard-team`);
    return ['instances', 'postgres', 'redis'].map((part) => `${part} ${fmt(median(runs.map((r) => r.parts[part])), 3)}`).join(' + ');
  };
  console.log(`
Team server (issue 17): two team-mode instances on one PostgreSQL + one redis-server (load round-robin over both)
vs one SQLite instance; every server on the same CPU, so these are ratios, not capacity.
${teamScenarios.map((s) => `  ${s.name.slice(6)}: req/s two ÷ one ${fmt(roundRatio(s.name, 'switchboard-team', 'switchboard', 'rps'))}; CPU/req two ÷ one ${fmt(roundRatio(s.name, 'switchboard-team', 'switchboard', 'cpuPerRequest'))}, two ÷ minimal ${fmt(roundRatio(s.name, 'switchboard-team', 'minimal', 'cpuPerRequest'))}, one ÷ minimal ${fmt(roundRatio(s.name, 'switchboard', 'minimal', 'cpuPerRequest'))}
      team CPU ms/req = ${split(s.name)}; added p50 vs direct: one ${fmt(addedP50(s.name, 'switchboard'), 3)} ms, two ${fmt(addedP50(s.name, 'switchboard-team'), 3)} ms`).join('\n')}`);
}
process.exit(0);

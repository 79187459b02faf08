// Where a request's CPU goes, Switchboard beside the minimal pass-through under the same load
// (node bench/profile-buckets.mjs [json|sse|64k|slow|<translated scenario>] [concurrency] [seconds]; a
// translated scenario by part of its name in bench/scenarios.mjs, e.g. 'anthropic→openai', sends
// what the bench sends: the door's stream to Switchboard, a chat stream to the minimal proxy, with
// the governed client as the bench does): both servers CPU-profiled,
// pinned to CPU 1 (load on CPU 0), every sample put in a bucket by the nearest frame of our code or
// of a package (bundle frames mapped back through its source map), per request in µs of samples.
// Each server gets WARM_REQUESTS (2,000) requests first; only the samples of the timed load after
// them count (a fresh process compiling its hot paths would otherwise dominate a 64 KB profile).
// `slow` profiles the bench's 1,000 slow streams (bench/figures.mjs: opened over 1.5 s, a chunk
// every 100 ms) after the SSE warm-up, per stream; concurrency and seconds do not apply to it.
// BUCKET=<name>[,<name>…] lists the functions (source file:line) behind those buckets.
// KEEP_PROFILE=1 keeps both .cpuprofile folders (their paths go to stderr) for a closer look.
// AGAINST=nohistory profiles Switchboard with history off in the minimal's place (the same flags
// and client): what recording costs per request, bucket by bucket (the history on ÷ off figure).
// `cache json` / `cache anthropic` profile a cache-miss scenario of bench/scenarios.mjs: the engine
// with a new question per request to the cached alias, beside an engine asked the same new
// questions on the alias without a cache (the "cache on, all misses ÷ no cache" figure).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { Pool } from 'undici';
import { ALL_SCENARIOS, UNIQUE, conversation64k } from './scenarios.mjs';
import { serveNodeFlags } from './serve-flags.mjs';

const [kind = 'json', concurrency = '10', seconds = '8'] = process.argv.slice(2);
/** BUCKET=<name>[,<name>…]: also list the functions whose samples made up those buckets. */
const DETAIL = process.env.BUCKET ? new Set(process.env.BUCKET.split(',')) : null;
const here = new URL('.', import.meta.url).pathname;
// The profile is written on a normal exit only (the minimal proxy has no SIGINT handler of its own).
const EXIT_ON_SIGINT = `data:text/javascript,process.once('SIGINT',()=>process.exit(0))`;
const pin = (cpu, args) => ['taskset', ['-c', String(cpu), ...args]];

function start(script, args, flags, dir) {
  const [cmd, argv] = pin(1, [process.execPath, ...flags, '--import', EXIT_ON_SIGINT, '--cpu-prof', `--cpu-prof-dir=${dir}`, script, ...args]);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, line: String(d).trim() })));
}

const messages = kind === '64k' ? conversation64k : [{ role: 'user', content: 'Hello, benchmark!' }];
const translated = ALL_SCENARIOS.find((s) => s.translated && s.name.includes(kind)) ?? null;
const cacheMiss = kind.startsWith('cache ') ? ALL_SCENARIOS.find((s) => s.cache && s.name.startsWith('cache miss') && s.name.includes(kind.slice(6))) : null;
if (kind.startsWith('cache ') && !cacheMiss) throw new Error(`${kind}: no cache-miss scenario by that name`);
/** What a target is sent: path, headers and body (a translated scenario's per target, as bench/run.mjs sends them). */
function requestFor(name, token) {
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  if (cacheMiss) {
    const { request } = cacheMiss;
    return { path: request.path, headers: { ...auth, ...(request.headers ?? {}) }, body: JSON.stringify(request.body({ name, model: name === 'switchboard' ? 'bench-cached' : undefined })) };
  }
  if (!translated) return { path: '/v1/chat/completions', headers: auth, body: JSON.stringify({ model: 'bench', messages, stream: kind === 'sse' || kind === 'slow' }) };
  const { request, pathFor } = translated;
  return { path: pathFor?.[name] ?? request.path, headers: { ...auth, ...(request.headers ?? {}) }, body: JSON.stringify(request.body({ name })) };
}

/** Monotonic µs: the clock V8 stamps profile samples with (CLOCK_MONOTONIC on Linux). */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
/** Requests every target gets before the profiled window (a fresh process compiles its hot paths over its first thousands). */
const WARM_REQUESTS = Number(process.env.WARM_REQUESTS ?? 2000);

/** Warms the target up, then loads it for `seconds`; answers the requests and the profiled window (monotonic µs). */
async function load(port, token, name) {
  const { path, headers, body } = requestFor(name, token);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: Number(concurrency) });
  // A cache-miss scenario asks a new question every time (both engines the same questions).
  let asked = 0;
  const send = async () => {
    const r = await pool.request({ path, method: 'POST', headers, body: cacheMiss ? body.replace(UNIQUE, String(asked++)) : body });
    const text = await r.body.text();
    if (r.statusCode !== 200) throw new Error(`${name}: ${r.statusCode} ${text.slice(0, 200)}`);
  };
  let warming = WARM_REQUESTS;
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (warming-- > 0) await send();
  }));
  const from = nowUs();
  if (kind === 'slow') {
    await pool.close();
    const slow = await slowStreams({ origin: `http://127.0.0.1:${port}`, headers: { authorization: headers.authorization } }, 'bench-slow');
    return { counted: SLOW_STREAMS - slow.errors, window: [from, nowUs()] };
  }
  const until = Date.now() + Number(seconds) * 1000;
  let counted = 0;
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (Date.now() < until) {
      await send();
      counted++;
    }
  }));
  const to = nowUs();
  await pool.close();
  return { counted, window: [from, to] };
}

const SLOW_STREAMS = 1000;
/** The bench's slow streams (the same ramp and model as bench/figures.mjs), through one server. */
async function slowStreams(target, model) {
  const pool = new Pool(target.origin, { connections: SLOW_STREAMS, pipelining: 1 });
  const body = JSON.stringify({ model, stream: true, messages });
  let errors = 0;
  await Promise.all(Array.from({ length: SLOW_STREAMS }, async (_, index) => {
    await new Promise((resolve) => setTimeout(resolve, (index * 1500) / SLOW_STREAMS));
    try {
      const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body });
      const text = await res.body.text();
      if (res.statusCode !== 200 || !text.includes('[DONE]')) errors++;
    } catch {
      errors++;
    }
  }));
  await pool.close();
  return { errors };
}

const SYSCALLS = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString', 'onStreamRead', 'shutdown', 'close', 'readStop', 'readStart']);
const maps = new Map();
function originalEntry(url, line, column) {
  if (!url.includes('/dist/proxy/')) return null;
  const file = new URL(url).pathname;
  if (!maps.has(file)) maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
  return maps.get(file).findEntry(line, column);
}
const original = (url, line, column) => originalEntry(url, line, column)?.originalSource ?? url;

/** A bucket for a source path: our file (src-proxy/…), a package, or Node's own. */
function bucketOf(source) {
  if (!source) return null;
  const ours = source.match(/src-proxy\/(.+)\.ts$/);
  if (ours) return ours[1].startsWith('http/') || ours[1].startsWith('upstream/') ? ours[1] : ours[1].split('/').slice(0, ours[1].startsWith('dialects/') || ours[1].startsWith('wire/') ? 2 : 1).join('/');
  const pkg = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `pkg:${pkg[1]}`;
  if (source.includes('minimal-proxy')) return 'minimal handler';
  return null;
}

function analyse(dir, requests, [from, to]) {
  const prof = JSON.parse(readFileSync(`${dir}/${readdirSync(dir)[0]}`, 'utf8'));
  const byId = new Map(prof.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of prof.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const cache = new Map();
  const frames = new Map();
  const bucketFor = (id) => {
    if (cache.has(id)) return cache.get(id);
    const node = byId.get(id);
    const f = node.callFrame;
    let bucket;
    let where = `${f.functionName || '(anon)'}`;
    if (f.functionName === '(garbage collector)') bucket = 'GC';
    else if (f.functionName === '(idle)') bucket = 'idle';
    else if (f.functionName === '(program)') bucket = '(program)';
    // Socket writes and reads are the same syscalls for both servers: their own bucket, not their caller's.
    else if (f.url === '' && SYSCALLS.has(f.functionName)) {
      bucket = 'socket syscalls';
      const up = parent.get(id);
      if (up !== undefined) where = `${f.functionName} ← ${byId.get(up).callFrame.functionName} ← ${byId.get(parent.get(up))?.callFrame.functionName} ← ${bucketFor(up)}`;
    }
    else if (f.url.startsWith('node:') || f.url === '') {
      // Node's internals are charged to the nearest caller that is ours or a package's.
      const up = parent.get(id);
      const above = up === undefined ? null : bucketFor(up);
      bucket = above && above !== '(root)' ? above : `node:${(f.url || f.functionName).replace(/^node:(internal\/)?/, '').split('/')[0]}`;
      if (up !== undefined && above === bucket) where = frames.get(up);
    } else {
      bucket = bucketOf(original(f.url, f.lineNumber, f.columnNumber)) ?? `other:${f.url.split('/').pop()}`;
      // The function's own place (source file:line through the bundle's map) for BUCKET's list.
      const entry = originalEntry(f.url, f.lineNumber, f.columnNumber);
      where += entry?.originalSource ? ` ${entry.originalSource.split('/').slice(-2).join('/')}:${entry.originalLine + 1}` : ` ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    }
    frames.set(id, where);
    if (f.functionName === '(root)') bucket = '(root)';
    cache.set(id, bucket);
    return bucket;
  };
  const totals = new Map();
  const detail = new Map();
  let t = prof.startTime;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i];
    t += dt;
    if (t < from || t > to) return;
    const bucket = bucketFor(id);
    totals.set(bucket, (totals.get(bucket) ?? 0) + dt);
    if (DETAIL?.has(bucket)) {
      const key = `${bucket} ${frames.get(id)}`;
      detail.set(key, (detail.get(key) ?? 0) + dt);
    }
  });
  const perRequest = new Map([...totals].map(([k, us]) => [k, us / requests]));
  if (DETAIL) for (const [k, us] of [...detail].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`  ${k}: ${(us / requests).toFixed(1)} µs/req`);
  return perRequest;
}

async function profile(name, script, args, flags) {
  // One folder per run: several people profiling on one machine must not read each other's profiles.
  const dir = `${tmpdir()}/switchboard-buckets-${name}-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  const { child, line } = await start(script, args, flags, dir);
  const [port, token = 'x', governed] = line.split(' ');
  const { counted: requests, window } = await load(port, (translated || cacheMiss || kind === 'slow') && governed ? governed : token, name);
  child.kill('SIGINT');
  await new Promise((r) => child.on('exit', r));
  const buckets = analyse(dir, requests, window);
  if (process.env.KEEP_PROFILE) console.error(`${name}: ${dir} (${requests} requests)`);
  else rmSync(dir, { recursive: true, force: true });
  return { requests, buckets };
}

const mock = spawn('taskset', ['-c', '1', process.execPath, `${here}mock-upstream.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
const mockPort = await new Promise((r) => mock.stdout.once('data', (d) => r(String(d).trim())));
const upstream = `http://127.0.0.1:${mockPort}`;
process.on('exit', () => mock.kill());
const AGAINST = cacheMiss ? 'nocache' : (process.env.AGAINST ?? 'minimal');
if (AGAINST !== 'minimal' && AGAINST !== 'nohistory' && AGAINST !== 'nocache') throw new Error(`AGAINST=${AGAINST}: minimal or nohistory`);
const minimal = AGAINST === 'nocache'
  ? await profile('nocache', `${here}switchboard-server.mjs`, [upstream, 'on'], serveNodeFlags())
  : AGAINST === 'nohistory'
  ? await profile('nohistory', `${here}switchboard-server.mjs`, [upstream, 'off'], serveNodeFlags())
  : await profile('minimal', `${here}minimal-proxy.mjs`, [upstream], []);
const engine = await profile('switchboard', `${here}switchboard-server.mjs`, [upstream, 'on'], serveNodeFlags());
mock.kill();

const busy = (m) => [...m].filter(([k]) => k !== 'idle').reduce((s, [, v]) => s + v, 0);
console.log(`${translated?.name ?? cacheMiss?.name ?? kind} c=${concurrency}: ${AGAINST} ${minimal.requests} requests, ${busy(minimal.buckets).toFixed(0)} µs busy/request; switchboard ${engine.requests} requests, ${busy(engine.buckets).toFixed(0)} µs busy/request (ratio ${(busy(engine.buckets) / busy(minimal.buckets)).toFixed(2)})`);
const keys = [...new Set([...engine.buckets.keys(), ...minimal.buckets.keys()])].filter((k) => k !== 'idle');
keys.sort((a, b) => (engine.buckets.get(b) ?? 0) - (engine.buckets.get(a) ?? 0));
console.log('bucket'.padEnd(40), 'switchboard µs/req'.padStart(18), `${AGAINST} µs/req`.padStart(16));
for (const key of keys) {
  const s = engine.buckets.get(key) ?? 0;
  const m = minimal.buckets.get(key) ?? 0;
  if (s < 1 && m < 1) continue;
  console.log(key.padEnd(40), s.toFixed(1).padStart(18), m.toFixed(1).padStart(16));
}

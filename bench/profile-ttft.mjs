// Where a same-dialect stream's added time to first token goes (node bench/profile-ttft.mjs
// [rounds] [streams per round]): Switchboard (serve's flags, the governed client the bench sends)
// and the minimal pass-through, both pinned to CPU 1 with the mock and this load on CPU 0, take
// one chat stream at a time; inside each server a preload marks, per stream, the request parsed by
// Node (`http.server.request.start`), the upstream request's headers written by undici
// (`undici:client:sendHeaders`), the upstream answer's headers (`undici:request:headers`) and the
// client write that holds the first token (a ServerResponse.write wrapper; the mock's first
// answer text is " tok0"). Rounds alternate the order of the two servers; each prints the median
// of each stretch in µs. "before upstream" is the server's own work on the request, "upstream" the
// mock's turn (the same mock for both), "to first token" reading the answer's first bytes to
// writing its first token. WARM_REQUESTS (1,500) streams go to each server first.
import { spawn } from 'node:child_process';
import { Pool } from 'undici';
import { serveNodeFlags } from './serve-flags.mjs';

const [rounds = '6', perRound = '400'] = process.argv.slice(2);
const WARM_REQUESTS = Number(process.env.WARM_REQUESTS ?? 1500);
const here = new URL('.', import.meta.url).pathname;
const MARK = 'tok0';
// The preload, as a data: URL (CommonJS through --require cannot take one; --import can).
const PRELOAD = `data:text/javascript,${encodeURIComponent(`
import dc from 'node:diagnostics_channel';
import http from 'node:http';
const now = () => Number(process.hrtime.bigint()) / 1000;
let current = null;
const done = [];
dc.subscribe('http.server.request.start', () => { current = { start: now(), sent: NaN, headers: NaN }; });
dc.subscribe('undici:client:sendHeaders', () => { if (current && Number.isNaN(current.sent)) current.sent = now(); });
dc.subscribe('undici:request:headers', () => { if (current && Number.isNaN(current.headers)) current.headers = now(); });
const write = http.ServerResponse.prototype.write;
http.ServerResponse.prototype.write = function (chunk, ...rest) {
  if (current && chunk && String(chunk).includes(${JSON.stringify(MARK)})) { current.first = now(); done.push(current); current = null; }
  return write.call(this, chunk, ...rest);
};
process.on('SIGUSR2', () => {
  const taken = done.splice(0);
  const median = (values) => { const sorted = values.filter(Number.isFinite).sort((a, b) => a - b); return sorted[Math.floor(sorted.length / 2)]; };
  process._rawDebug('@@ttft ' + JSON.stringify({ streams: taken.length, before: median(taken.map((s) => s.sent - s.start)), upstream: median(taken.map((s) => s.headers - s.sent)), toFirst: median(taken.map((s) => s.first - s.headers)), total: median(taken.map((s) => s.first - s.start)) }));
});
`)}`;

function start(args, cpu) {
  const child = spawn('taskset', ['-c', cpu, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => {
    const text = String(d);
    for (const match of text.matchAll(/@@ttft (\{.*\})/g)) child.report?.(JSON.parse(match[1]));
    if (!text.includes('@@ttft')) process.stderr.write(text);
  });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, line: String(d).trim() })));
}

const mock = await start([`${here}mock-upstream.mjs`], '0');
const upstream = `http://127.0.0.1:${mock.line}`;
process.on('exit', () => mock.child.kill());
const targets = [
  { name: 'switchboard', ...(await start([...serveNodeFlags(), '--import', PRELOAD, `${here}switchboard-server.mjs`, upstream, 'on'], '1')) },
  { name: 'minimal', ...(await start(['--import', PRELOAD, `${here}minimal-proxy.mjs`, upstream], '1')) },
];
const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Hello, benchmark!' }], stream: true });
for (const target of targets) {
  const [port, , governed] = target.line.split(' ');
  target.pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  target.headers = { 'content-type': 'application/json', ...(governed ? { authorization: `Bearer ${governed}` } : {}) };
}
async function streams(target, count) {
  for (let i = 0; i < count; i++) {
    const res = await target.pool.request({ path: '/v1/chat/completions', method: 'POST', headers: target.headers, body });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${target.name}: ${res.statusCode}`);
  }
}
const report = (target) => new Promise((resolve) => {
  target.child.report = resolve;
  target.child.kill('SIGUSR2');
});
for (const target of targets) {
  await streams(target, WARM_REQUESTS);
  await report(target);
}
const fmt = (us) => (Number.isFinite(us) ? us.toFixed(0) : '-').padStart(8);
console.log(`${'round'.padEnd(6)}${'target'.padEnd(13)}${'streams'.padStart(8)}${'before upstream'.padStart(17)}${'upstream'.padStart(10)}${'to first token'.padStart(16)}${'total'.padStart(8)}  (medians, µs)`);
for (let round = 1; round <= Number(rounds); round++) {
  for (const target of round % 2 ? targets : [...targets].reverse()) {
    await streams(target, Number(perRound));
    const r = await report(target);
    console.log(`${String(round).padEnd(6)}${target.name.padEnd(13)}${String(r.streams).padStart(8)}${fmt(r.before).padStart(17)}${fmt(r.upstream).padStart(10)}${fmt(r.toFirst).padStart(16)}${fmt(r.total)}`);
  }
}
for (const target of targets) {
  await target.pool.close();
  target.child.kill('SIGINT');
}
mock.child.kill();

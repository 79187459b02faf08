import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { slowStreams } from './figures.mjs';
import { serveNodeFlags } from './serve-flags.mjs';
const here = new URL('.', import.meta.url).pathname;
const pin = process.env.PIN !== '0';
const start = (script, args, flags = []) => new Promise((resolve) => {
  const argv = [...flags, script, ...args];
  const c = spawn(pin ? 'taskset' : process.execPath, pin ? ['-c', '1', process.execPath, ...argv] : argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = ''; c.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve({ c, line: out.trim(), pid: c.pid }); });
});
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const mock = await start(`${here}mock-upstream.mjs`, []);
const up = `http://127.0.0.1:${mock.line}`;
const which = process.argv[2] ?? 'both';
const out = {};
if (which !== 'sb') {
  const min = await start(`${here}.minslow.tmp.mjs`, [up]);
  const c0 = cpu(min.pid), m0 = cpu(mock.pid);
  out.minimal = await slowStreams({ origin: up, headers: { authorization: 'Bearer sk-bench' } }, { origin: `http://127.0.0.1:${min.line}`, headers: {} });
  out.minimal.cpuMs = cpu(min.pid) - c0; out.minimal.mockCpu = cpu(mock.pid) - m0;
  min.c.kill();
}
if (which !== 'min') {
  const sb = await start(`${here}switchboard-server.mjs`, [up, 'on'], [...serveNodeFlags(), ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/perf-slowprof'] : [])]);
  const [port, , governed] = sb.line.split(' ');
  const c0 = cpu(sb.pid), m0 = cpu(mock.pid);
  out.switchboard = await slowStreams({ origin: up, headers: { authorization: 'Bearer sk-bench' } }, { origin: `http://127.0.0.1:${port}`, headers: { authorization: `Bearer ${governed}` } });
  out.switchboard.cpuMs = cpu(sb.pid) - c0; out.switchboard.mockCpu = cpu(mock.pid) - m0;
  sb.c.kill('SIGINT'); await new Promise((r) => sb.c.once('exit', r));
}
console.log(JSON.stringify(out));
mock.c.kill();
process.exit(0);

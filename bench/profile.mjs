// Profiles Switchboard under a steady load (node bench/profile.mjs [path] [concurrency] [seconds]):
// prints the functions with the most self time, measured after a warm-up.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { Pool } from 'undici';

const [path = '/v1/chat/completions', concurrency = '10', seconds = '8', stream = 'false'] = process.argv.slice(2);
const dir = '/tmp/switchboard-profile';
rmSync(dir, { recursive: true, force: true });
const here = new URL('.', import.meta.url).pathname;
const mock = spawn(process.execPath, [`${here}mock-upstream.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
const mockPort = await new Promise((r) => mock.stdout.once('data', (d) => r(String(d).trim())));
const sb = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `${here}switchboard-server.mjs`, `http://127.0.0.1:${mockPort}`, 'on'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [port, token] = (await new Promise((r) => sb.stdout.once('data', (d) => r(String(d).trim())))).split(' ');
const bodies = {
  '/v1/chat/completions': { model: 'bench', messages: [{ role: 'user', content: 'hi' }], stream: stream === 'true' },
  '/v1/messages': { model: 'bench', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], stream: true },
  '/api/chat': { model: 'bench', messages: [{ role: 'user', content: 'hi' }] },
  '/v1/responses': { model: 'bench', input: 'hi', stream: true },
};
const body = JSON.stringify(bodies[path]);
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: Number(concurrency) });
let n = 0;
const until = Date.now() + Number(seconds) * 1000;
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  while (Date.now() < until) {
    const r = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'anthropic-version': '2023-06-01' }, body });
    await r.body.text();
    n++;
  }
}));
console.log(`${n} requests`);
sb.kill('SIGINT');
mock.kill();
await new Promise((r) => sb.on('exit', r));
const prof = JSON.parse(readFileSync(`${dir}/${readdirSync(dir)[0]}`, 'utf8'));
const byId = new Map(prof.nodes.map((node) => [node.id, node]));
const start = prof.startTime + (prof.endTime - prof.startTime) * 0.4; // skip start-up and warm-up
const self = new Map();
let total = 0;
let t = prof.startTime;
prof.samples.forEach((id, i) => {
  t += prof.timeDeltas[i];
  if (t < start) return;
  const frame = byId.get(id).callFrame;
  const key = `${frame.functionName || '(anon)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
  total++;
});
for (const [key, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`${((100 * count) / total).toFixed(1).padStart(5)}% ${key}`);

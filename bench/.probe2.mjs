import { spawn } from 'node:child_process';
import { request } from 'undici';
const mock = spawn(process.execPath, ['bench/mock-upstream.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
const mockPort = await new Promise((r) => mock.stdout.once('data', (d) => r(String(d).trim())));
const sb = spawn(process.execPath, ['bench/switchboard-server.mjs', `http://127.0.0.1:${mockPort}`, 'on'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [port, token] = (await new Promise((r) => sb.stdout.once('data', (d) => r(String(d).trim())))).split(' ');
await new Promise((r) => setTimeout(r, 500));
for (const stream of [false, true, false]) {
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const r = await request(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ model: 'bench', stream, messages: [{ role: 'user', content: 'hi' }] }) });
    await r.body.text();
    times.push(performance.now() - t);
  }
  const m = await request(`http://127.0.0.1:${mockPort}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":false}' }); await m.body.text();
  times.sort((a, b) => a - b);
  console.log(`stream=${stream} p50=${times[10].toFixed(2)} min=${times[0].toFixed(2)}`);
}
sb.kill('SIGINT'); mock.kill();
process.exit(0);

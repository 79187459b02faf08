import { spawn, execSync } from 'node:child_process';
import { Pool } from 'undici';
const mock = spawn(process.execPath, ['bench/mock-upstream.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
const mockPort = await new Promise((r) => mock.stdout.once('data', (d) => r(String(d).trim())));
const sb = spawn(process.execPath, ['bench/switchboard-server.mjs', `http://127.0.0.1:${mockPort}`, 'on'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [port, token] = (await new Promise((r) => sb.stdout.once('data', (d) => r(String(d).trim())))).split(' ');
await new Promise((r) => setTimeout(r, 500));
for (const c of [1, 10, 100]) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: c });
  const until = Date.now() + 2000; let n = 0; const lat = [];
  const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'hi' }] });
  await Promise.all(Array.from({ length: c }, async () => { while (Date.now() < until) { const t = performance.now(); const r = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body }); await r.body.text(); lat.push(performance.now() - t); n++; } }));
  lat.sort((a, b) => a - b);
  const conns = execSync(`ss -tn state established '( dport = :${mockPort} )' | wc -l`).toString().trim();
  const tw = execSync(`ss -tn state time-wait '( dport = :${mockPort} )' | wc -l`).toString().trim();
  console.log(`c=${c} rps=${n / 2} p50=${lat[Math.floor(lat.length / 2)].toFixed(2)} upstream-conns=${conns - 1} time-wait=${tw - 1}`);
  await pool.close();
}
sb.kill('SIGINT'); mock.kill();
process.exit(0);

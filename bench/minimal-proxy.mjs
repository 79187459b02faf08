// The practical limit: a minimal Fastify + undici.Pool pass-through (parse JSON, rewrite model,
// re-stringify, pipe the upstream body back). What a proxy with no features at all costs.
// It gets as many upstream connections as Switchboard's bench engine (upstreamConnectionsPerHost
// 1200), so the 1,000 slow streams run through both without queueing for a connection; undici's
// Pool opens a connection only when every open one is busy, so the request scenarios (c <= 100)
// open the same ones as with a smaller pool. The slow alias maps to the mock's paced model.
import Fastify from 'fastify';
import { Pool } from 'undici';

const upstream = process.argv[2];
const pool = new Pool(upstream, { connections: 1200, keepAliveTimeout: 60_000 });
const MODELS = { 'bench-slow': 'bench-model-slow' };
const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
app.post('/v1/chat/completions', async (request, reply) => {
  const body = { ...request.body, model: MODELS[request.body.model] ?? 'bench-model' };
  const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body: JSON.stringify(body) });
  reply.code(res.statusCode).header('content-type', res.headers['content-type']);
  return reply.send(res.body);
});
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(app.server.address().port);

import Fastify, { type FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { registerControlHttp } from '../../../src-proxy/control/http-transport.ts';
import { createFakeControl, type FakeControl } from '../../renderer/fake-control.ts';

export const DIST_RENDERER = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));

/** The built dashboard over the real HTTP transport, backed by the in-memory demo control API. */
export async function startDemoServer(options: { historyRows?: number } = {}): Promise<{ app: FastifyInstance; url: string; token: string; fake: FakeControl }> {
  const fake = createFakeControl({ seed: 'demo', historyRows: options.historyRows ?? 600 });
  const token = 'demo-admin-token-0123456789abcdef0123456789';
  // Closing ends every connection, as the engine's own stop does (gateway/lifecycle.ts): a browser
  // context outlives its pages and may hold a keep-alive socket that close() would otherwise wait
  // out (Node's keep-alive timeout, past a test's time).
  const app = Fastify({ forceCloseConnections: true });
  registerControlHttp(app, { control: fake.api, events: fake.events, adminToken: () => token, staticDir: DIST_RENDERER });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = new URL(address).port;
  const origin = `http://127.0.0.1:${port}`;
  fake.state.status = { ...fake.state.status, port: Number(port), baseUrl: origin };
  return { app, url: `${origin}/_switchboard/`, token, fake };
}

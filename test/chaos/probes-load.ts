/**
 * Chaos probes under load: slowloris sockets, a thousand concurrent streams, the fairness probe
 * (another client's request starts quickly while one client holds hundreds of slow streams) and
 * the kill -9 loop with its ledger of acknowledged requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { fairnessProbe } from '../fixtures/fairness-probe.ts';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';
import { killLoop } from '../fixtures/kill-loop.ts';
import type { Figure } from './figures.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `sockets` clients dribble a request's headers a byte at a time; meanwhile `probes` ordinary requests must each be answered within 2 s. */
export async function slowloris(sockets: number, probes: number): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  const harness = await startGateway({ providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }] });
  const open: Socket[] = [];
  let dribbling = true;
  try {
    for (let i = 0; i < sockets; i++) {
      const socket = connect(harness.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${harness.port}\r\nX-Slow: `);
      open.push(socket);
    }
    const dribble = (async () => {
      while (dribbling) {
        for (const socket of open) if (!socket.destroyed) socket.write('a');
        await sleep(200);
      }
    })();
    let held = 0;
    for (let i = 0; i < probes; i++) {
      const response = await fetch(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
        body: JSON.stringify({ model: 'up/x', messages: [{ role: 'user', content: 'hi' }] }),
        signal: AbortSignal.timeout(2_000),
      }).catch(() => null);
      if (response?.status === 200 && (await response.text()).includes('Hello from fake')) held++;
      await sleep(100);
    }
    dribbling = false;
    await dribble;
    return { probe: 'slowloris', tried: probes, held, needed: probes, detail: `${sockets} sockets dribbling headers; others answered within 2 s` };
  } finally {
    dribbling = false;
    for (const socket of open) socket.destroy();
    await harness.close();
    await upstream.close();
  }
}

/** `streams` streaming requests at once: every one must arrive whole, ending in [DONE]. */
export async function concurrentStreams(streams: number): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  const harness = await startGateway({ providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }] });
  const agent = new Agent({ connections: streams });
  try {
    const results = await Promise.all(Array.from({ length: streams }, async (_, i) => {
      try {
        const response = await request(`${harness.baseUrl}/chat/completions`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
          body: JSON.stringify({ model: 'up/x', stream: true, messages: [{ role: 'user', content: `stream ${i}` }] }),
          signal: AbortSignal.timeout(120_000),
        });
        const text = await response.body.text();
        const content = [...text.matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]).join('');
        return response.statusCode === 200 && content === 'Hello from fake' && text.includes('data: [DONE]');
      } catch {
        return false;
      }
    }));
    const held = results.filter(Boolean).length;
    return { probe: 'concurrent streams', tried: streams, held, needed: streams, detail: 'all at once; each whole, ending in [DONE]' };
  } finally {
    await agent.close();
    await harness.close();
    await upstream.close();
  }
}

/** While the tokenless lane holds `streams` slow streams, `probes` requests of another client: most start within 50 ms, none waits 1 s. */
export async function fairness(streams: number, probes: number): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  const harness = await startGateway({ providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }] });
  try {
    const result = await fairnessProbe(harness, upstream, streams, probes);
    const within = result.startDelays.filter((delay) => delay <= 50).length;
    const slowest = Math.max(...result.startDelays);
    // The median must start within 50 ms; a probe past 1 s counts as not held at all.
    return {
      probe: 'fairness',
      tried: probes,
      held: slowest < 1_000 ? within : 0,
      needed: Math.ceil(probes / 2),
      detail: `${result.heldStreams} slow streams held by one client; started within 50 ms (slowest ${slowest} ms)`,
    };
  } finally {
    await harness.close();
    await upstream.close();
  }
}

/** SIGKILL under load `kills` times: every request answered in full is in the history afterwards. */
export async function killNine(kills: number): Promise<Figure> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-chaos-kill-'));
  try {
    const result = await killLoop({ dataDir, kills, seed: 11, minMs: 800, maxMs: 1_600 });
    return { probe: 'kill -9 ledger', tried: result.acknowledged, held: result.acknowledged - result.lost.length, needed: result.acknowledged, detail: `${kills} kills; acknowledged requests in the history after restart` };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

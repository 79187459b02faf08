/**
 * Finding 8, end to end: while the tokenless Ollama lane (one client) holds hundreds of slow
 * streams to a provider host, another tool's request to the same host starts within 50 ms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fairnessProbe } from '../fixtures/fairness-probe.ts';
import { startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';

describe('fair queue per upstream host', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('a tool’s request starts within 50 ms while the tokenless lane holds 300 slow streams to the same host', async () => {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }] });
    cleanups.push(() => upstream.close(), () => harness.close());
    const result = await fairnessProbe(harness, upstream, 300, 5);
    // The lane holds everything but the reserve of the host's 128 connections.
    expect(result.heldStreams).toBeGreaterThanOrEqual(100);
    expect(result.heldStreams).toBeLessThan(128);
    // Without the fair queue a probe waits for a held stream to end: 60 chunks × 500 ms = 30 s.
    // On a quiet machine the median is under 50 ms (README); the bounds here leave room for a
    // loaded CI machine while staying two orders of magnitude below the unfair wait.
    const sorted = [...result.startDelays].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(250);
    expect(sorted.at(-1)).toBeLessThan(5_000);
  }, 60_000);

  it('the connection count per host is a setting', async () => {
    const upstream = await startFakeOpenAi();
    const harness = await startGateway({ providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }], settings: { upstreamConnectionsPerHost: 16 } });
    cleanups.push(() => upstream.close(), () => harness.close());
    const result = await fairnessProbe(harness, upstream, 40, 3);
    expect(result.heldStreams).toBe(16 - 2);
    expect(Math.max(...result.startDelays)).toBeLessThan(5_000);
  }, 60_000);
});

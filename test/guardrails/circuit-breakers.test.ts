import { describe, expect, it } from 'vitest';
import type { ProviderRecord } from '../../src-proxy/domain/provider.ts';
import { connectivityLine } from '../../src-proxy/domain/routing-health.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { createCircuitBreakers, isConnectivityFailure, isLocalProvider, type CircuitEvent } from '../../src-proxy/routing/circuit-breakers.ts';
import { createManualClock } from '../fixtures/manual-clock.ts';

function provider(id: string, baseUrl: string): ProviderRecord {
  return { id, kind: 'openai', name: id, baseUrl, headers: {}, enabled: true, options: {}, limits: {}, proxy: null, proxyPool: [], http2: false, lastError: null, createdAt: 0, updatedAt: 0, managedBy: null };
}

const cloud = provider('cloud', 'https://api.example.com/v1');
const other = provider('other', 'https://api.other.example/v1');
const local = provider('local', 'http://127.0.0.1:11434');
const refused = new GatewayError('upstream_unreachable', 'Connection failed (ECONNREFUSED)');

function setup(answers: { value: boolean } = { value: false }) {
  const clock = createManualClock();
  const events: CircuitEvent[] = [];
  const probed: string[] = [];
  const breakers = createCircuitBreakers({
    settings: () => ({ failures: 3, openSeconds: 30 }),
    probe: async (target) => {
      probed.push(target.id);
      return answers.value;
    },
    onChange: (event) => events.push(event),
    now: clock.now,
    timers: clock.timers,
  });
  return { clock, events, probed, breakers, answers };
}

describe('circuit breakers', () => {
  it('opens after three connection failures in a row, not before, and a success in between resets the count', () => {
    const { breakers, events } = setup();
    breakers.failed(cloud, refused);
    breakers.failed(cloud, refused);
    breakers.succeeded(cloud);
    breakers.failed(cloud, refused);
    breakers.failed(cloud, refused);
    expect(breakers.allows('cloud')).toBe(true);
    breakers.failed(cloud, refused);
    expect(breakers.allows('cloud')).toBe(false);
    expect(breakers.allows('other')).toBe(true);
    expect(events).toEqual([expect.objectContaining({ type: 'opened', provider: 'cloud', retryInMs: 30_000, local: false })]);
    expect(events[0]).toMatchObject({ reason: expect.stringContaining('3 connection failures in a row') });
  });

  it('probes in the background after the open period: no answer keeps it open another period, an answer closes it (half-open → closed)', async () => {
    const { breakers, clock, events, probed, answers } = setup();
    for (let i = 0; i < 3; i++) breakers.failed(cloud, refused);
    await clock.advance(29_999);
    expect(probed).toEqual([]);
    await clock.advance(1);
    expect(probed).toEqual(['cloud']);
    expect(breakers.allows('cloud')).toBe(false);
    expect(breakers.retryAt('cloud')).toBe(clock.now() + 30_000);
    answers.value = true;
    await clock.advance(30_000);
    expect(probed).toEqual(['cloud', 'cloud']);
    expect(breakers.allows('cloud')).toBe(true);
    expect(events.map((event) => event.type)).toEqual(['opened', 'closed']);
    expect(events[1]).toMatchObject({ provider: 'cloud', openForMs: 60_000 });
    expect(breakers.health().circuits).toEqual([]);
  });

  it('a circuit is half-open while its probe runs; requests still skip it', async () => {
    let release: (value: boolean) => void = () => undefined;
    const clock = createManualClock();
    const breakers = createCircuitBreakers({
      settings: () => ({ failures: 1, openSeconds: 5 }),
      probe: () => new Promise<boolean>((resolve) => (release = resolve)),
      onChange: () => undefined,
      now: clock.now,
      timers: clock.timers,
    });
    breakers.failed(cloud, refused);
    await clock.advance(5000);
    expect(breakers.health().circuits[0]).toMatchObject({ provider: 'cloud', state: 'half_open' });
    expect(breakers.allows('cloud')).toBe(false);
    release(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(breakers.allows('cloud')).toBe(true);
  });

  it('offline: remote circuits open and no remote provider answers since; a local answer means "using local models"', () => {
    const { breakers, events } = setup();
    for (let i = 0; i < 3; i++) breakers.failed(cloud, refused);
    expect(breakers.health()).toMatchObject({ offline: true, usingLocal: false });
    expect(connectivityLine(breakers.health())).toBe('offline — providers unreachable');
    breakers.succeeded(local);
    expect(breakers.health()).toMatchObject({ offline: true, usingLocal: true });
    expect(connectivityLine(breakers.health())).toBe('offline — using local models');
    expect(events.map((event) => event.type)).toEqual(['opened', 'fallback']);
    expect(events[1]).toMatchObject({ usingLocal: true });
  });

  it('one unreachable provider while others answer is not offline', () => {
    const { breakers } = setup();
    for (let i = 0; i < 3; i++) breakers.failed(cloud, refused);
    breakers.succeeded(other);
    expect(breakers.health()).toMatchObject({ offline: false, usingLocal: false });
    expect(connectivityLine(breakers.health())).toBe('cloud unreachable — skipped until it answers');
  });

  it('forgetting a provider (its address changed) closes its circuit without a probe', async () => {
    const { breakers, clock, probed } = setup();
    for (let i = 0; i < 3; i++) breakers.failed(cloud, refused);
    breakers.forget('cloud');
    expect(breakers.allows('cloud')).toBe(true);
    await clock.advance(60_000);
    expect(probed).toEqual([]);
  });

  it('counts only failures to reach the provider, and knows which providers run on this machine', () => {
    expect(isConnectivityFailure(refused)).toBe(true);
    expect(isConnectivityFailure(new GatewayError('upstream_timeout'))).toBe(true);
    expect(isConnectivityFailure(new GatewayError('upstream_error', 'answered 500'))).toBe(false);
    expect(isConnectivityFailure(new GatewayError('upstream_rate_limited'))).toBe(false);
    expect(['http://localhost:1234/v1', 'http://127.0.0.1:11434', 'http://[::1]:8080', 'http://ollama.localhost'].map((url) => isLocalProvider({ baseUrl: url }))).toEqual([true, true, true, true]);
    expect(['https://api.openai.com/v1', 'http://192.168.1.20:11434'].map((url) => isLocalProvider({ baseUrl: url }))).toEqual([false, false]);
  });
});

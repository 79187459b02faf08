/**
 * GET /ready for load balancers on a single instance: ready while it accepts requests, 503 once
 * it is stopped (the headless listener stays up and says so), no token needed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('GET /ready', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness?.close();
  });

  it('is 200 "ready" while serving and 503 "not_ready" once stopped, without a token', async () => {
    harness = await startGateway({ keepListenerWhenStopped: true });
    const ready = await fetch(`${harness.origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { gateway: 'ok', store: 'ok' } });
    await harness.gateway.stop();
    const stopped = await fetch(`${harness.origin}/ready`);
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toEqual({ status: 'not_ready', checks: { gateway: 'stopped', store: 'ok' } });
  });
});

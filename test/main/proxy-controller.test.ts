// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createProxyController, type ProxyControllerEvent } from '../../src-main/proxy/proxy-controller.ts';
import { forwardControlEvents } from '../../src-main/ipc/event-forwarder.ts';
import type { BridgeEvent } from '../../src-main/ipc/channels.ts';
import { createFakeGateway, statusOf } from './fake-gateway.ts';

function record(gateway: ReturnType<typeof createFakeGateway>) {
  const controller = createProxyController({ gateway });
  const events: ProxyControllerEvent[] = [];
  controller.subscribe((event) => events.push(event));
  return { controller, events };
}

describe('proxy controller', () => {
  it('reports starting, running and stopped once each', async () => {
    const { controller, events } = record(createFakeGateway());
    await controller.start();
    await controller.stop();
    expect(events.map((event) => event.type)).toEqual(['starting', 'running', 'stopped']);
    expect(controller.status().state).toBe('stopped');
  });

  it('turns a busy port into an error state with its code, without throwing', async () => {
    const { controller, events } = record(createFakeGateway({ start: 'port_in_use' }));
    const status = await controller.start();
    expect(status).toMatchObject({ state: 'error', error: { code: 'port_in_use' } });
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'port_in_use', message: expect.stringContaining('already used by another program') });
    expect(controller.status().state).toBe('error');
  });

  it('passes recorded requests on', () => {
    const gateway = createFakeGateway();
    const { events } = record(gateway);
    gateway.emit({ type: 'history', rows: [] });
    gateway.emit({ type: 'history', rows: [{ id: 'r' } as never] });
    expect(events).toEqual([{ type: 'requests', rows: [{ id: 'r' }] }]);
  });
});

describe('event forwarding to the window', () => {
  it('batches history rows and sends status changes at once, in order', async () => {
    const gateway = createFakeGateway();
    const sent: BridgeEvent[] = [];
    const stop = forwardControlEvents({ events: gateway.events, send: (event) => sent.push(event), batchMs: 20 });
    gateway.emit({ type: 'history', rows: [{ id: '1' } as never] });
    gateway.emit({ type: 'history', rows: [{ id: '2' } as never] });
    expect(sent).toEqual([]);
    gateway.emit({ type: 'status', status: statusOf('running') });
    expect(sent.map((event) => event.type)).toEqual(['history', 'status']);
    gateway.emit({ type: 'history', rows: [{ id: '3' } as never] });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(sent).toHaveLength(3);
    expect(sent[0]).toEqual({ type: 'history', rows: [{ id: '1' }, { id: '2' }] });
    stop();
  });
});

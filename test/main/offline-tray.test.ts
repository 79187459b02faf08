// @vitest-environment node
/**
 * The tray, the tooltip and the desktop notifications while a cloud provider cannot be reached:
 * all pure, from the status and the history rows the engine writes (no Electron).
 */
import { describe, expect, it } from 'vitest';
import type { HistoryRow, RoutingHealth } from '../../src-proxy/control/contract.ts';
import { buildTrayMenu } from '../../src-main/tray/tray-menu.ts';
import { trayTooltip } from '../../src-main/tray/tray-icon.ts';
import { notificationsFor } from '../../src-main/system/notifications.ts';
import { createProxyController, type ProxyControllerEvent } from '../../src-main/proxy/proxy-controller.ts';
import { createFakeGateway, statusOf } from './fake-gateway.ts';

const NOW = 1_700_000_000_000;
const OFFLINE: RoutingHealth = {
  offline: true,
  usingLocal: true,
  circuits: [{ provider: 'openrouter', state: 'open', since: NOW - 5000, probeAt: NOW + 25_000, reason: '3 connection failures in a row', local: false }],
};

function eventRow(endpoint: string, provider: string | null, status = 200): HistoryRow {
  return {
    id: `evt_${endpoint}`, startedAt: NOW, durationMs: 0, ttftMs: null, dialect: 'switchboard', endpoint, client: 'switchboard', requestedModel: null,
    provider, upstreamModel: null, attempts: [], status, errorCode: status === 503 ? 'circuit_open' : null, stream: false, inputTokens: null, outputTokens: null, cache: null,
  };
}

describe('offline fallback in the tray', () => {
  it('the menu and the tooltip say "offline — using local models" while running offline', () => {
    const status = { ...statusOf('running'), routing: OFFLINE };
    const menu = buildTrayMenu({ status, recent: [], launchAtLogin: false, now: NOW });
    expect(menu[1]).toEqual({ kind: 'item', label: 'Offline — using local models', enabled: false });
    expect(trayTooltip(status)).toMatch(/^Switchboard — offline — using local models · 127\.0\.0\.1:11434/);
  });

  it('says which provider is skipped when only one is unreachable, and nothing when all answer', () => {
    const status = { ...statusOf('running'), routing: { ...OFFLINE, offline: false, usingLocal: false } };
    expect(buildTrayMenu({ status, recent: [], launchAtLogin: false, now: NOW })[1]).toMatchObject({ label: 'Openrouter unreachable — skipped until it answers' });
    const healthy = buildTrayMenu({ status: statusOf('running'), recent: [], launchAtLogin: false, now: NOW });
    expect(healthy[1]).toMatchObject({ label: 'Stop proxy' });
  });

  it('circuit changes and the local fallback become desktop notifications', () => {
    const rows = [eventRow('circuit_open', 'openrouter', 503), eventRow('local_fallback', null), eventRow('circuit_closed', 'openrouter'), eventRow('local_fallback_ended', null)];
    expect(notificationsFor({ type: 'requests', rows }).map((request) => request.title)).toEqual([
      'openrouter cannot be reached',
      'Offline — using local models',
      'openrouter is reachable again',
    ]);
  });

  it('the controller reports a running proxy going offline as a change, so the tray redraws', async () => {
    const gateway = createFakeGateway();
    const controller = createProxyController({ gateway });
    const events: ProxyControllerEvent[] = [];
    controller.subscribe((event) => events.push(event));
    await controller.start();
    gateway.emit({ type: 'status', status: { ...gateway.status(), routing: OFFLINE } });
    gateway.emit({ type: 'status', status: { ...gateway.status(), routing: OFFLINE } });
    expect(events.map((event) => event.type)).toEqual(['starting', 'running', 'running']);
  });
});

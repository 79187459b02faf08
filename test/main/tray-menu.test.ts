// @vitest-environment node
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryRow, ProxyState } from '../../src-proxy/control/contract.ts';
import { buildTrayMenu, formatAge, statusLine, type TrayMenuItem, type TrayState } from '../../src-main/tray/tray-menu.ts';
import { TRAY_ICON_STATES, trayIconFor, trayTooltip } from '../../src-main/tray/tray-icon.ts';
import { statusOf } from './fake-gateway.ts';

const NOW = 1_700_000_000_000;

function row(id: string, model: string, status: number, agoMs: number): HistoryRow {
  return {
    id, startedAt: NOW - agoMs, durationMs: 10, ttftMs: null, dialect: 'openai', endpoint: '/v1/chat/completions', client: 'cli',
    requestedModel: model, provider: 'openai', upstreamModel: model, attempts: [], status, errorCode: null, stream: false, inputTokens: 1, outputTokens: 1, cache: null,
  };
}

function stateFor(state: ProxyState, extra: Partial<TrayState> = {}): TrayState {
  const error = state === 'error' ? { code: 'port_in_use', message: 'Port 11434 is already used by another program. Change it.' } : null;
  return { status: statusOf(state, { error }), recent: [], launchAtLogin: false, now: NOW, ...extra };
}

const items = (menu: TrayMenuItem[]) => menu.filter((item): item is Extract<TrayMenuItem, { kind: 'item' }> => item.kind === 'item');
const find = (menu: TrayMenuItem[], label: string) => items(menu).find((item) => item.label.startsWith(label));

describe('tray menu', () => {
  it.each<[ProxyState, string, string | null]>([
    ['running', 'Running on 127.0.0.1:11434', 'Stop proxy'],
    ['stopped', 'Proxy stopped', 'Start proxy'],
    ['starting', 'Starting on port 11434…', null],
    ['stopping', 'Stopping…', null],
    ['error', 'Error: Port 11434 is already used by another program', 'Start proxy'],
  ])('in state %s shows "%s" and offers %s', (state, line, action) => {
    const menu = buildTrayMenu(stateFor(state));
    expect(menu[0]).toEqual({ kind: 'item', label: line, enabled: false });
    expect(statusLine(stateFor(state).status)).toBe(line);
    const toggle = menu[1];
    if (action) expect(toggle).toMatchObject({ label: action, enabled: true });
    else expect(toggle).toMatchObject({ enabled: false });
    for (const label of ['Copy endpoint URL', 'Open Switchboard', 'Launch at login', 'Open logs folder', 'Quit Switchboard']) {
      expect(find(menu, label), label).toBeDefined();
    }
  });

  it('offers to change the port when the port is taken, never hopping by itself', () => {
    expect(find(buildTrayMenu(stateFor('error')), 'Change port')?.action).toEqual({ type: 'change-port' });
    expect(find(buildTrayMenu(stateFor('running')), 'Change port')).toBeUndefined();
  });

  it('copies the base URL of every front door the engine registers', () => {
    const copy = find(buildTrayMenu(stateFor('running')), 'Copy endpoint URL');
    expect(items(copy?.submenu ?? []).map((item) => [item.label, item.action])).toEqual([
      ['OpenAI base  http://127.0.0.1:11434/v1', { type: 'copy', text: 'http://127.0.0.1:11434/v1' }],
      ['Anthropic base  http://127.0.0.1:11434', { type: 'copy', text: 'http://127.0.0.1:11434' }],
      ['Ollama base  http://127.0.0.1:11434', { type: 'copy', text: 'http://127.0.0.1:11434' }],
      // Registered in dialects/registry.ts only: the tray learns of it from the status.
      ['Gemini base  http://127.0.0.1:11434', { type: 'copy', text: 'http://127.0.0.1:11434' }],
    ]);
  });

  it('still knows the endpoints of a stopped proxy from its port, and none without a port', () => {
    const stopped = find(buildTrayMenu(stateFor('stopped')), 'Copy endpoint URL');
    expect(items(stopped?.submenu ?? [])[0]?.action).toEqual({ type: 'copy', text: 'http://127.0.0.1:11434/v1' });
    const noPort = find(buildTrayMenu({ ...stateFor('stopped'), status: statusOf('stopped', { port: null }) }), 'Copy endpoint URL');
    expect(noPort?.enabled).toBe(false);
  });

  it('lists the last five requests with model, status and age; a click opens that entry', () => {
    const recent = [row('a', 'gpt-4o', 200, 2_000), row('b', 'claude', 429, 90_000), row('c', 'm3', 200, 7_200_000), row('d', 'm4', 500, 3 * 86_400_000), row('e', 'm5', 200, 30_000), row('f', 'm6', 200, 1)];
    const menu = buildTrayMenu(stateFor('running', { recent }));
    const shown = items(menu).filter((item) => item.action?.type === 'open-history');
    expect(shown.map((item) => item.label)).toEqual(['gpt-4o · 200 · just now', 'claude · 429 · 1m ago', 'm3 · 200 · 2h ago', 'm4 · 500 · 3d ago', 'm5 · 200 · 30s ago']);
    expect(shown[1]?.action).toEqual({ type: 'open-history', id: 'b' });
  });

  it('says so when there are no requests yet', () => {
    expect(find(buildTrayMenu(stateFor('running')), 'No requests yet')?.enabled).toBe(false);
  });

  it('shows launch at login as a checkbox', () => {
    expect(find(buildTrayMenu(stateFor('running', { launchAtLogin: true })), 'Launch at login')).toMatchObject({ checked: true, action: { type: 'toggle-launch-at-login' } });
  });

  it('formats ages', () => {
    expect([0, 4_999, 5_000, 59_000, 60_000, 3_599_000, 3_600_000, 86_400_000, -5].map(formatAge)).toEqual(['just now', 'just now', '5s ago', '59s ago', '1m ago', '59m ago', '1h ago', '1d ago', 'just now']);
  });
});

describe('tray icon and tooltip', () => {
  it.each<[ProxyState, NodeJS.Platform, string]>([
    ['running', 'darwin', 'tray/runningTemplate.png'],
    ['stopped', 'darwin', 'tray/stoppedTemplate.png'],
    ['starting', 'linux', 'tray/starting-linux.png'],
    ['stopping', 'win32', 'tray/starting.png'],
    ['error', 'win32', 'tray/error.png'],
  ])('%s on %s uses %s', (state, platform, file) => {
    expect(trayIconFor(state, platform)).toBe(file);
  });

  it('has a real 1x and 2x file for every state on every platform', () => {
    for (const state of TRAY_ICON_STATES) {
      for (const platform of ['darwin', 'linux', 'win32'] as const) {
        const file = path.join('assets', trayIconFor(state, platform));
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace(/\.png$/, '@2x.png')), `${file} @2x`).toBe(true);
      }
    }
  });

  it('tells the state, the address and today\'s count, within the Windows limit', () => {
    expect(trayTooltip(statusOf('running', { requestsToday: 42 }))).toBe('Switchboard — running · 127.0.0.1:11434 · 42 requests today');
    expect(trayTooltip(statusOf('stopped', { port: null, requestsToday: 1 }))).toBe('Switchboard — stopped · no port · 1 request today');
    expect(trayTooltip(statusOf('running', { host: 'h'.repeat(200) })).length).toBeLessThanOrEqual(127);
  });
});

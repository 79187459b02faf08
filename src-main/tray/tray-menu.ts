/**
 * The tray menu as data, built by a pure function from the proxy's state, so every state is
 * unit-tested without Electron. tray.ts turns these items into an Electron Menu.
 */
import type { HistoryRow, ProxyStatus } from '../../src-proxy/control/contract.ts';
import { connectivityLine } from '../../src-proxy/control/contract.ts';
import { endpointsFor } from './endpoints.ts';

export interface TrayState {
  status: ProxyStatus;
  /** Newest first; only the first five are shown. */
  recent: HistoryRow[];
  launchAtLogin: boolean;
  now: number;
}

export type TrayAction =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'copy'; text: string }
  | { type: 'open-window' }
  | { type: 'change-port' }
  | { type: 'open-history'; id: string }
  | { type: 'toggle-launch-at-login' }
  | { type: 'open-logs' }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'separator' }
  | { kind: 'item'; label: string; enabled: boolean; action?: TrayAction; checked?: boolean; submenu?: TrayMenuItem[] };

export const RECENT_LIMIT = 5;

const separator: TrayMenuItem = { kind: 'separator' };

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  const connectivity = state.status.state === 'running' ? connectivityLine(state.status.routing) : null;
  return [
    { kind: 'item', label: statusLine(state.status), enabled: false },
    // Offline with a local fallback, or a provider skipped: what the user's tools are getting now.
    ...(connectivity ? [{ kind: 'item', label: capitalize(connectivity), enabled: false } satisfies TrayMenuItem] : []),
    ...proxyActions(state.status),
    copyEndpointMenu(state.status),
    { kind: 'item', label: 'Open Switchboard', enabled: true, action: { type: 'open-window' } },
    separator,
    ...recentRequests(state.recent, state.now),
    separator,
    { kind: 'item', label: 'Launch at login', enabled: true, checked: state.launchAtLogin, action: { type: 'toggle-launch-at-login' } },
    { kind: 'item', label: 'Open logs folder', enabled: true, action: { type: 'open-logs' } },
    separator,
    { kind: 'item', label: 'Quit Switchboard', enabled: true, action: { type: 'quit' } },
  ];
}

export function statusLine(status: ProxyStatus): string {
  const port = status.port ?? '?';
  switch (status.state) {
    case 'running':
      return `Running on ${status.host}:${port}`;
    case 'starting':
      return `Starting on port ${port}…`;
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'Proxy stopped';
    case 'error':
      return `Error: ${firstSentence(status.error?.message ?? 'the proxy failed')}`;
  }
}

function proxyActions(status: ProxyStatus): TrayMenuItem[] {
  switch (status.state) {
    case 'running':
      return [{ kind: 'item', label: 'Stop proxy', enabled: true, action: { type: 'stop' } }];
    case 'starting':
    case 'stopping':
      return [{ kind: 'item', label: status.state === 'starting' ? 'Starting…' : 'Stopping…', enabled: false }];
    case 'stopped':
      return [{ kind: 'item', label: 'Start proxy', enabled: true, action: { type: 'start' } }];
    case 'error': {
      const retry: TrayMenuItem = { kind: 'item', label: 'Start proxy', enabled: true, action: { type: 'start' } };
      // A busy port never hops silently: the user picks a new one (and updates their tools).
      if (status.error?.code !== 'port_in_use') return [retry];
      return [retry, { kind: 'item', label: 'Change port…', enabled: true, action: { type: 'change-port' } }];
    }
  }
}

function copyEndpointMenu(status: ProxyStatus): TrayMenuItem {
  const endpoints = endpointsFor(status);
  const disabled = (label: string): TrayMenuItem => ({ kind: 'item', label, enabled: false });
  return {
    kind: 'item',
    label: 'Copy endpoint URL',
    enabled: endpoints !== null,
    submenu: endpoints
      ? endpoints.map((endpoint): TrayMenuItem => ({ kind: 'item', label: `${endpoint.label} base  ${endpoint.url}`, enabled: true, action: { type: 'copy', text: endpoint.url } }))
      : status.endpoints.map((endpoint) => disabled(`${endpoint.label} base`)),
  };
}

function recentRequests(rows: HistoryRow[], now: number): TrayMenuItem[] {
  if (rows.length === 0) return [{ kind: 'item', label: 'No requests yet', enabled: false }];
  return [
    { kind: 'item', label: 'Recent requests', enabled: false },
    ...rows.slice(0, RECENT_LIMIT).map(
      (row): TrayMenuItem => ({
        kind: 'item',
        label: `${row.requestedModel ?? row.upstreamModel ?? 'unknown model'} · ${row.status} · ${formatAge(now - row.startedAt)}`,
        enabled: true,
        action: { type: 'open-history', id: row.id },
      }),
    ),
  ];
}

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function firstSentence(message: string): string {
  const end = message.search(/[.!?](\s|$)/);
  return end === -1 ? message : message.slice(0, end);
}

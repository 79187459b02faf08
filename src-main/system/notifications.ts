/**
 * OS notifications for what needs the user — the proxy could not start, a provider rejected its
 * key, a key pool ran dry — never one per request: each distinct problem notifies at most once
 * per interval. Deciding what to say is pure; showing it is an injected function.
 */
import type { BudgetAlert, HistoryRow } from '../../src-proxy/control/contract.ts';
import { CIRCUIT_EVENT, ENGINE_EVENT_DIALECT } from '../../src-proxy/control/contract.ts';
import type { ProxyControllerEvent } from '../proxy/proxy-controller.ts';

export interface NotificationRequest {
  /** Rate-limit key: the same problem (kind + provider) is told once per interval. */
  key: string;
  title: string;
  body: string;
}

export function notificationsFor(event: ProxyControllerEvent): NotificationRequest[] {
  if (event.type === 'error') {
    return [{ key: `start:${event.code}`, title: 'Switchboard could not start the proxy', body: event.message }];
  }
  if (event.type === 'budget') return [budgetNotification(event.alert)];
  if (event.type !== 'requests') return [];
  const requests: NotificationRequest[] = [];
  for (const row of event.rows) {
    if (row.dialect === ENGINE_EVENT_DIALECT) {
      const told = engineEventNotification(row);
      if (told) requests.push(told);
      continue;
    }
    const provider = row.provider ?? 'a provider';
    if (row.errorCode === 'upstream_auth_failed') {
      requests.push({ key: `auth:${provider}`, title: `${provider} rejected its key`, body: 'Replace the key in Switchboard → Providers.' });
    } else if (row.errorCode === 'key_pool_exhausted') {
      requests.push({
        key: `pool:${provider}`,
        title: `Every ${provider} key is cooling down`,
        body: 'Requests fail until a key recovers. Add another key or a fallback target.',
      });
    }
  }
  return requests;
}

/** 80 % and 100 % of a client's daily or monthly budget: once per client, period and threshold. */
function budgetNotification(alert: BudgetAlert): NotificationRequest {
  const period = alert.period === 'day' ? 'daily' : 'monthly';
  const spent = `$${alert.spentUsd.toFixed(2)} of $${alert.budgetUsd}`;
  if (alert.threshold >= 100) {
    return {
      key: `budget:${alert.client}:${alert.period}:${alert.threshold}`,
      title: `${alert.client} has spent its ${period} budget`,
      body: `${spent}. Its requests are refused until the ${alert.period === 'day' ? 'day' : 'month'} ends; raise the budget in Switchboard → Clients.`,
    };
  }
  return {
    key: `budget:${alert.client}:${alert.period}:${alert.threshold}`,
    title: `${alert.client} is at ${alert.threshold} % of its ${period} budget`,
    body: `${spent} spent. Switchboard → Clients shows its spend.`,
  };
}

/** A circuit opened or closed, or the local fallback started: the rows the engine writes about itself. */
function engineEventNotification(row: HistoryRow): NotificationRequest | null {
  const provider = row.provider ?? 'a provider';
  switch (row.endpoint) {
    case CIRCUIT_EVENT.opened:
      return { key: `circuit:${provider}`, title: `${provider} cannot be reached`, body: 'Switchboard skips it and uses the next target, and probes it in the background.' };
    case CIRCUIT_EVENT.closed:
      return { key: `circuit-closed:${provider}`, title: `${provider} is reachable again`, body: 'Requests go to it again.' };
    case CIRCUIT_EVENT.localFallback:
      return { key: 'offline', title: 'Offline — using local models', body: 'No cloud provider can be reached; requests go to your local models until one answers again.' };
    default:
      return null;
  }
}

export interface NotifierDeps {
  show(title: string, body: string): void;
  isSupported(): boolean;
  now(): number;
  /** Default 15 minutes. */
  minIntervalMs?: number;
}

export interface Notifier {
  /** Returns true when the notification was shown. */
  notify(request: NotificationRequest): boolean;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const interval = deps.minIntervalMs ?? 15 * 60_000;
  const lastShown = new Map<string, number>();
  return {
    notify(request) {
      const now = deps.now();
      const last = lastShown.get(request.key);
      if (last !== undefined && now - last < interval) return false;
      if (!deps.isSupported()) return false;
      lastShown.set(request.key, now);
      deps.show(request.title, request.body);
      return true;
    },
  };
}

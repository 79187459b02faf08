import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { BudgetAlert, HistoryPage, HistoryRow, LogEntry } from '../../src-proxy/control/contract.ts';
import type { ClientEvent, ControlEvent } from '../api';
import { controlKey, desktopKey } from './query-keys';

/** Newest first, an updated row replacing its older copy. */
export function mergeRows(incoming: HistoryRow[], existing: HistoryRow[], limit = Infinity): HistoryRow[] {
  const ids = new Set(incoming.map((row) => row.id));
  const merged = [...incoming].sort((a, b) => b.startedAt - a.startedAt).concat(existing.filter((row) => !ids.has(row.id)));
  return merged.slice(0, limit);
}

function isUnfiltered(filter: unknown): boolean {
  return typeof filter === 'object' && filter !== null && Object.entries(filter).every(([key, value]) => key === 'limit' || value === undefined || value === '');
}

/** Where a pushed `navigate` event takes the page (the tray's "open this request", "change the port"). */
export type NavigateTo = Extract<ClientEvent, { type: 'navigate' }>['to'];

/** The state of the connection to the core, for the shell to show (the HTTP stream can drop). */
export const CONNECTION_KEY = ['client', 'connection'] as const;

/**
 * The live log console's lines, oldest first (the engine's tail, then pushed `log` events). Under
 * 'control' so a reconnect (the engine may have restarted, its line numbers with it) reloads it.
 */
export const LOG_TAIL_KEY = ['control', 'getLogTail', 'console'] as const;

/** Lines the console keeps; the engine's own ring holds as many. */
export const LOG_CONSOLE_LINES = 2000;

/** New lines after the ones held (a line already held, by its sequence number, is not added twice). */
export function appendLog(tail: readonly LogEntry[], entries: readonly LogEntry[]): LogEntry[] {
  const last = tail.length > 0 ? tail[tail.length - 1]!.seq : 0;
  const fresh = entries.filter((entry) => entry.seq > last);
  return fresh.length === 0 ? (tail as LogEntry[]) : [...tail, ...fresh].slice(-LOG_CONSOLE_LINES);
}

/** Budget alerts pushed since the page opened, newest last (the dashboard banner reads them). */
export const BUDGET_ALERTS_KEY = ['client', 'budgetAlerts'] as const;

/**
 * Applies any event a client pushes. One switch over the one event type shared with main and
 * the preload: an event kind added there fails the typecheck here until it is handled.
 */
export function applyClientEvent(queryClient: QueryClient, event: ClientEvent, navigate: (to: NavigateTo) => void): void {
  switch (event.type) {
    case 'status':
    case 'history':
    case 'budget':
    case 'log':
      applyControlEvent(queryClient, event);
      return;
    case 'shell':
      queryClient.setQueryData(desktopKey('getShellState'), event.shell);
      return;
    case 'navigate':
      navigate(event.to);
      return;
    case 'connection':
      queryClient.setQueryData(CONNECTION_KEY, event.connected);
      // Back after a drop: what the page shows may be stale in every way (the engine restarted).
      if (event.connected) void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== CONNECTION_KEY[0] });
      return;
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): never {
  throw new Error(`Unhandled client event ${JSON.stringify(event)}`);
}

/**
 * Applies an engine event to the caches: the status replaces getStatus; new history rows are
 * prepended to unfiltered lists (no refetch, so a 100k-row list stays put) while filtered lists,
 * whose membership only the store can decide, are refetched.
 */
export function applyControlEvent(queryClient: QueryClient, event: ControlEvent): void {
  if (event.type === 'status') {
    queryClient.setQueryData(controlKey('getStatus'), event.status);
    return;
  }
  if (event.type === 'budget') {
    queryClient.setQueryData<BudgetAlert[]>(BUDGET_ALERTS_KEY, (alerts = []) => [...alerts.filter((known) => !sameAlert(known, event.alert)), event.alert]);
    void queryClient.invalidateQueries({ queryKey: ['control', 'listClients'] });
    return;
  }
  if (event.type === 'log') {
    // Appended only while the console holds a tail (it loads one with getLogTail on opening).
    queryClient.setQueryData<LogEntry[]>(LOG_TAIL_KEY, (tail) => (tail ? appendLog(tail, event.entries) : tail));
    return;
  }
  if (event.rows.length === 0) return;
  for (const query of queryClient.getQueryCache().findAll({ queryKey: ['control', 'queryHistory'] })) {
    const [, , third, fourth] = query.queryKey as readonly unknown[];
    const paged = third === 'pages';
    const filter = paged ? fourth : third;
    if (!isUnfiltered(filter)) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      continue;
    }
    if (paged) {
      queryClient.setQueryData<InfiniteData<HistoryPage>>(query.queryKey, (data) => {
        if (!data || data.pages.length === 0) return data;
        const [first, ...rest] = data.pages;
        const added = event.rows.filter((row) => !data.pages.some((page) => page.rows.some((known) => known.id === row.id))).length;
        const pages = [{ ...first!, rows: mergeRows(event.rows, first!.rows), total: first!.total + added }, ...rest];
        return { ...data, pages };
      });
    } else {
      const limit = (filter as { limit?: number } | undefined)?.limit ?? 50;
      queryClient.setQueryData<HistoryPage>(query.queryKey, (page) => (page ? { ...page, rows: mergeRows(event.rows, page.rows, limit) } : page));
    }
  }
  void queryClient.invalidateQueries({ queryKey: ['control', 'getUsage'] });
  void queryClient.invalidateQueries({ queryKey: ['control', 'getStatus'] });
  void queryClient.invalidateQueries({ queryKey: ['control', 'listClients'] });
}

function sameAlert(a: BudgetAlert, b: BudgetAlert): boolean {
  return a.client === b.client && a.period === b.period;
}

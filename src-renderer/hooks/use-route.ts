import { useCallback, useEffect, useState } from 'react';

export const PAGES = ['overview', 'providers', 'models', 'clients', 'history', 'usage', 'logs', 'connect', 'settings'] as const;
export type PageName = (typeof PAGES)[number];

/**
 * A page and, optionally, one thing on it: #/history/req_123 (a request), #/settings/port (a
 * field); and named values after `?` (#/history?client=ci-bot: the history of one client).
 */
export interface Route {
  page: PageName;
  detail: string | null;
  query: Readonly<Record<string, string>>;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const mark = text.indexOf('?');
  const [name, detail] = (mark === -1 ? text : text.slice(0, mark)).split(/[&=]/)[0]!.split('/');
  const page = (PAGES as readonly string[]).includes(name ?? '') ? (name as PageName) : 'overview';
  const query = mark === -1 ? {} : Object.fromEntries(new URLSearchParams(text.slice(mark + 1)));
  return { page, detail: page !== 'overview' && detail ? decodeURIComponent(detail) : null, query };
}

export function routeHash(page: PageName, detail?: string | null, query?: Record<string, string>): string {
  const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
  return `#/${page}${detail ? `/${encodeURIComponent(detail)}` : ''}${search}`;
}

/** Goes to a page (and detail) through the address fragment, so back/forward and reload work. */
export function navigateTo(page: PageName, detail?: string | null): void {
  window.location.hash = routeHash(page, detail);
}

/** The current route from the address fragment, updated on every change of it. */
export function useRoute(): [Route, (page: PageName, detail?: string | null) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  const navigate = useCallback((page: PageName, detail?: string | null) => {
    navigateTo(page, detail);
    setRoute({ page, detail: detail ?? null, query: {} });
  }, []);
  return [route, navigate];
}

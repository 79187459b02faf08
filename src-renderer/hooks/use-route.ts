import { useCallback, useEffect, useState } from 'react';

export const PAGES = ['overview', 'providers', 'models', 'history', 'usage', 'connect', 'settings'] as const;
export type PageName = (typeof PAGES)[number];

/** A page and, optionally, one thing on it: #/history/req_123 (a request), #/settings/port (a field). */
export interface Route {
  page: PageName;
  detail: string | null;
}

export function parseRoute(hash: string): Route {
  const [name, detail] = hash.replace(/^#\/?/, '').split(/[?&=]/)[0]!.split('/');
  const page = (PAGES as readonly string[]).includes(name ?? '') ? (name as PageName) : 'overview';
  return { page, detail: page !== 'overview' && detail ? decodeURIComponent(detail) : null };
}

export function routeHash(page: PageName, detail?: string | null): string {
  return `#/${page}${detail ? `/${encodeURIComponent(detail)}` : ''}`;
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
    setRoute({ page, detail: detail ?? null });
  }, []);
  return [route, navigate];
}

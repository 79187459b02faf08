import { useCallback, useEffect, useState } from 'react';

export const PAGES = ['overview', 'providers', 'models', 'history', 'usage', 'connect', 'settings'] as const;
export type PageName = (typeof PAGES)[number];

function parse(hash: string): PageName {
  const name = hash.replace(/^#\/?/, '').split(/[/?&=]/)[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as PageName) : 'overview';
}

/** The current page from the address fragment (#/providers), so reload and back/forward work. */
export function useRoute(): [PageName, (page: PageName) => void] {
  const [page, setPage] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const update = () => setPage(parse(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  const navigate = useCallback((next: PageName) => {
    window.location.hash = `/${next}`;
    setPage(next);
  }, []);
  return [page, navigate];
}

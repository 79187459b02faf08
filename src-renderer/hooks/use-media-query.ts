import { useEffect, useState } from 'react';

/** The CSS breakpoint where the sidebar shows icons only and History starts with fewer columns (styles.css). */
export const NARROW_WINDOW_QUERY = '(max-width: 900px)';

/** Whether a CSS media query matches now, updated as the window changes. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const media = window.matchMedia?.(query);
    if (!media) return;
    const update = () => setMatches(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, [query]);
  return matches;
}

import { useEffect, useState } from 'react';
import type { Settings } from '../../src-proxy/control/contract.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Resolves the theme setting (light / dark / follow the system) onto <html data-theme>. */
export function useTheme(theme: Settings['theme'] | undefined): 'light' | 'dark' {
  const [systemDark, setSystemDark] = useState(() => window.matchMedia?.(DARK_QUERY).matches ?? false);
  useEffect(() => {
    const media = window.matchMedia?.(DARK_QUERY);
    if (!media) return;
    const update = () => setSystemDark(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  const resolved = theme === 'light' || theme === 'dark' ? theme : systemDark ? 'dark' : 'light';
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  return resolved;
}

import { useCallback, useState } from 'react';

const STORAGE_KEY = 'switchboard.historyColumns';

function read(): Record<string, boolean> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, boolean>) : {};
  } catch {
    return {}; // Unreadable or blocked storage: the defaults for the window width apply.
  }
}

/** The user's column choice, kept in this browser (or window) across reloads. */
export function useColumnChoice(): [Record<string, boolean>, (id: string, shown: boolean) => void] {
  const [choice, setChoice] = useState(read);
  const toggle = useCallback((id: string, shown: boolean) => {
    setChoice((old) => {
      const next = { ...old, [id]: shown };
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Storage full or blocked: the choice holds for this page only.
      }
      return next;
    });
  }, []);
  return [choice, toggle];
}

import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * Client tokens created in this session, by token id. A token is shown once at creation and the
 * core cannot reveal it again, so the page keeps it in memory (never in storage) to fill the
 * Connect snippets and the "try it" box until the window closes.
 */
interface SessionTokens {
  tokens: ReadonlyMap<string, { name: string; token: string }>;
  remember: (id: string, name: string, token: string) => void;
}

const Context = createContext<SessionTokens | null>(null);

export function SessionTokensProvider({ children }: { children: ReactNode }) {
  const [tokens, setTokens] = useState<ReadonlyMap<string, { name: string; token: string }>>(new Map());
  const value = useMemo<SessionTokens>(
    () => ({ tokens, remember: (id, name, token) => setTokens((old) => new Map(old).set(id, { name, token })) }),
    [tokens],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSessionTokens(): SessionTokens {
  const value = useContext(Context);
  if (!value) throw new Error('useSessionTokens needs a <SessionTokensProvider> above it');
  return value;
}

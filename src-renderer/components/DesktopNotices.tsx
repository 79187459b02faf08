import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ShellState } from '../../src-main/ipc/desktop-contract.ts';
import type { DesktopShell } from '../api/types';
import { useControlClient } from '../hooks/control-context';
import { desktopKey } from '../hooks/query-keys';
import { useControlMutation, useControlQuery } from '../hooks/use-control';
import { routeHash } from '../hooks/use-route';
import { suggestProviderId } from '../pages/providers/presets';
import { ErrorNotice } from './ErrorNotice';

/**
 * What only the desktop shell knows, shown above every page: the port it moved to on first run
 * and why, a busy port, a real Ollama next door, and keys that cannot be stored safely (Linux
 * without a keyring) with the explicit opt-in. Kept current by the shell's `shell` events.
 */
export function DesktopNotices() {
  const { desktop } = useControlClient();
  if (!desktop) return null;
  return <ShellNotices desktop={desktop} />;
}

function ShellNotices({ desktop }: { desktop: DesktopShell }) {
  const queryClient = useQueryClient();
  const shell = useQuery({ queryKey: desktopKey('getShellState'), queryFn: () => desktop.invoke('getShellState') });
  const providers = useControlQuery('listProviders');
  const addProvider = useControlMutation('createProvider');
  const [error, setError] = useState<unknown>(null);
  const act = (operation: 'dismissNotice' | 'setInsecureStorageOptIn', request?: { optIn: boolean }) => {
    setError(null);
    const call = operation === 'dismissNotice' ? desktop.invoke('dismissNotice') : desktop.invoke('setInsecureStorageOptIn', request);
    call.then((state: ShellState) => queryClient.setQueryData(desktopKey('getShellState'), state), setError);
  };
  const state = shell.data;
  if (!state) return <ErrorNotice error={shell.error} />;
  const { notice, portConflict, detectedOllama, secretStorage } = state;
  const ollamaKnown = detectedOllama && (providers.data ?? []).some((provider) => provider.baseUrl.replace(/\/$/, '') === detectedOllama.baseUrl.replace(/\/$/, ''));
  return (
    <div className="desktop-notices">
      {notice ? (
        <div className="notice notice-warn row-between" role="status">
          <span>Switchboard listens on port <strong>{notice.to}</strong> instead of {notice.from}: {notice.reason}</span>
          <span className="inline-form">
            <a className="button small" href={routeHash('settings', 'port')}>Change the port</a>
            <button type="button" className="button small ghost" onClick={() => act('dismissNotice')}>Dismiss</button>
          </span>
        </div>
      ) : null}
      {portConflict ? (
        <div className="notice notice-error row-between" role="alert">
          <span>
            Port <strong>{portConflict.port}</strong> is taken by {portConflict.occupant === 'ollama' ? `Ollama ${portConflict.ollamaVersion ?? ''}`.trim() : 'another program'}, so the proxy could not start.
            Choose another port, or stop that program and start the proxy again.
          </span>
          <a className="button small" href={routeHash('settings', 'port')}>Choose a port</a>
        </div>
      ) : null}
      {secretStorage.insecure && !secretStorage.optedIn ? (
        <div className="notice notice-warn" role="alert">
          <p>
            <strong>No keyring to protect API keys.</strong> This system offers only <code>{secretStorage.backend}</code> storage: keys
            would be encrypted with a fixed password, so anyone who can read your files could read them. Install or unlock a keyring
            (GNOME Keyring, KWallet) and restart Switchboard — or store keys this way anyway.
          </p>
          <button type="button" className="button small" onClick={() => act('setInsecureStorageOptIn', { optIn: true })}>Store keys without a keyring</button>
        </div>
      ) : null}
      {!secretStorage.available && !secretStorage.insecure ? (
        <p className="notice notice-error" role="alert">Keys cannot be stored: the system's secret storage ({secretStorage.backend}) is not available.</p>
      ) : null}
      {detectedOllama && providers.data && !ollamaKnown ? (
        <div className="notice row-between" role="status">
          <span>A real Ollama {detectedOllama.version} answers at <code>{detectedOllama.baseUrl}</code>. Add it to route requests to its local models.</span>
          <button type="button" className="button small" disabled={addProvider.isPending}
            onClick={() => addProvider.mutate({ id: suggestProviderId('ollama', providers.data.map((p) => p.id)), kind: 'ollama', name: 'Ollama (local)', baseUrl: detectedOllama.baseUrl, enabled: true })}>
            Add as a provider
          </button>
        </div>
      ) : null}
      <ErrorNotice error={error ?? addProvider.error} />
    </div>
  );
}

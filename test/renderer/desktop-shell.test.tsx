// @vitest-environment jsdom
/**
 * The desktop window's page with the events main pushes (src-main/ipc/channels.ts BridgeEvent,
 * the one type main, the preload and the renderer share): the shell state reaches the page (port
 * notice, keyring opt-in), and the tray's navigation opens a request or the port field. The live
 * cache used to throw on these events, which hid both notices.
 */
import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../src-main/ipc/channels.ts';
import { App } from '../../src-renderer/App';
import { createBridgeClient } from '../../src-renderer/api/bridge-client';
import { applyClientEvent, type NavigateTo } from '../../src-renderer/hooks/live-cache';
import { desktopKey } from '../../src-renderer/hooks/query-keys';
import { createFakeControl } from './fake-control';
import { bridgeFor, createFakeShell, renderWithControl, shellState } from './render-with-control';

beforeEach(() => {
  window.location.hash = '#/overview';
});
afterEach(cleanup);

const notice = { kind: 'port-changed', from: 11434, to: 11435, reason: 'Ollama 0.6.2 already uses port 11434.' } as const;

describe('events from main in the live cache', () => {
  it('takes every kind main pushes without throwing: shell state into the cache, navigation to the page', () => {
    const queryClient = new QueryClient();
    const went: NavigateTo[] = [];
    const events: BridgeEvent[] = [
      { type: 'shell', shell: shellState({ notice }) },
      { type: 'navigate', to: { page: 'history', id: 'req_1' } },
      { type: 'navigate', to: { page: 'settings', section: 'port' } },
    ];
    for (const event of events) applyClientEvent(queryClient, event, (to) => went.push(to));
    expect(queryClient.getQueryData<ReturnType<typeof shellState>>(desktopKey('getShellState'))?.notice).toEqual(notice);
    expect(went).toEqual([{ page: 'history', id: 'req_1' }, { page: 'settings', section: 'port' }]);
  });
});

function renderDesktop(initialShell = shellState()) {
  const fake = createFakeControl({ seed: 'demo', historyRows: 20 });
  const shell = createFakeShell(initialShell);
  const bridge = bridgeFor(fake, shell);
  const view = renderWithControl(<App />, { fake, client: createBridgeClient(bridge) });
  return { ...view, fake, shell, bridge };
}

describe('the desktop window', () => {
  it('shows the first-run port notice main pushes, and dismisses it through the shell', async () => {
    const { bridge, shell } = renderDesktop();
    await screen.findByRole('heading', { name: 'Overview', level: 1 });
    act(() => bridge.push({ type: 'shell', shell: shellState({ notice }) }));
    const shown = await screen.findByText(/instead of 11434/);
    expect(shown.textContent).toContain('Ollama 0.6.2 already uses port 11434.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByText(/instead of 11434/)).toBeNull());
    expect(shell.calls.map(([op]) => op)).toContain('dismissNotice');
  });

  it('offers the keyring opt-in on Linux without a keyring, and records the choice', async () => {
    const insecure = shellState({ platform: 'linux', secretStorage: { backend: 'basic_text', available: false, insecure: true, optedIn: false } });
    const { shell } = renderDesktop(insecure);
    fireEvent.click(await screen.findByRole('button', { name: 'Store keys without a keyring' }));
    await waitFor(() => expect(shell.state.secretStorage.optedIn).toBe(true));
    expect(shell.calls).toContainEqual(['setInsecureStorageOptIn', { optIn: true }]);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Store keys without a keyring' })).toBeNull());
  });

  it('opens the request the tray asked for', async () => {
    const { bridge, fake } = renderDesktop();
    await screen.findByRole('heading', { name: 'Overview', level: 1 });
    const id = fake.state.history[3]!.id;
    act(() => bridge.push({ type: 'navigate', to: { page: 'history', id } }));
    await waitFor(() => expect(window.location.hash).toBe(`#/history/${id}`));
    const sheet = await screen.findByRole('dialog', { name: 'Request detail' });
    expect(sheet.textContent).toContain(fake.state.history[3]!.client);
  });

  it('takes the tray\'s "change port" to the port field, focused', async () => {
    const { bridge } = renderDesktop();
    await screen.findByRole('heading', { name: 'Overview', level: 1 });
    act(() => bridge.push({ type: 'navigate', to: { page: 'settings', section: 'port' } }));
    const field = await screen.findByLabelText('Port');
    await waitFor(() => expect(document.activeElement).toBe(field));
  });
});

// @vitest-environment node
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SwitchboardBridge } from '../../src-main/ipc/channels.ts';
import { electronFake, ipcRenderer } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

let bridge: SwitchboardBridge;
beforeAll(async () => {
  await import('../../src-main/preload.ts');
  bridge = electronFake.exposed.switchboard as SwitchboardBridge;
});

describe('preload bridge', () => {
  it('exposes one named object with a narrow API, never ipcRenderer', () => {
    expect(Object.keys(electronFake.exposed)).toEqual(['switchboard']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'transport']);
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
  });

  it('sends each operation on its own channel', async () => {
    ipcRenderer.reply = { ok: true, value: { state: 'running' } };
    await expect(bridge.invoke('getStatus')).resolves.toEqual({ ok: true, value: { state: 'running' } });
    await bridge.invoke('openExternal', { url: 'https://example.com' });
    expect(ipcRenderer.invoked.slice(-2)).toEqual([
      { channel: 'switchboard:control:getStatus', payload: undefined },
      { channel: 'switchboard:desktop:openExternal', payload: { url: 'https://example.com' } },
    ]);
  });

  it('refuses an operation that does not exist instead of inventing a channel', async () => {
    await expect(bridge.invoke('readSecrets' as never)).rejects.toThrow(/Unknown Switchboard operation/);
  });

  it('hands listeners the event only (not the IPC event with its sender) and unsubscribes', () => {
    const listener = vi.fn();
    const unsubscribe = bridge.onEvent(listener);
    ipcRenderer.emit('switchboard:event', { sender: 'secret-handle' }, { type: 'history', rows: [] });
    expect(listener).toHaveBeenCalledWith({ type: 'history', rows: [] });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(ipcRenderer.listenerCount('switchboard:event')).toBe(0);
  });
});

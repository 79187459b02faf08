import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src-proxy/control/contract.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { openStore } from '../../src-proxy/store/create-store.ts';
import { tempDir, tempStore } from './helpers.ts';

describe('settings', () => {
  it('starts with the defaults', () => {
    const { store } = tempStore();
    expect(store.settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('patches only the given fields, merges timeouts, and keeps them across restarts', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir });
    const updated = store.settings.update({ recordBodies: true, timeouts: { idleMs: 1234 } });
    expect(updated.recordBodies).toBe(true);
    expect(updated.timeouts).toEqual({ ...DEFAULT_SETTINGS.timeouts, idleMs: 1234 });
    expect(updated.port).toBe(DEFAULT_SETTINGS.port);
    store.close();
    const reopened = openStore({ dataDir });
    expect(reopened.settings.get()).toEqual(updated);
    reopened.close();
  });

  it('rejects an invalid patch naming the field, and changes nothing', () => {
    const { store } = tempStore();
    let caught: unknown;
    try {
      store.settings.update({ port: 70000, recordBodies: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('invalid_request');
    expect((caught as GatewayError).message).toContain('port');
    expect(() => store.settings.update({ unknownSetting: 1 } as never)).toThrow(/unknownSetting|Unrecognized/);
    expect(store.settings.get()).toEqual(DEFAULT_SETTINGS);
  });
});

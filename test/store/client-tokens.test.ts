import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { tempStore } from './helpers.ts';

describe('client tokens', () => {
  it('generates sb- tokens of 32 random bytes and shows only a hint afterwards', () => {
    const { store } = tempStore();
    const created = store.clientTokens.create('my-ide');
    expect(created.token).toMatch(/^sb-[A-Za-z0-9_-]{43}$/);
    expect(created.hint).toBe(`sb-…${created.token.slice(-4)}`);
    expect(JSON.stringify(store.clientTokens.list())).not.toContain(created.token);
  });

  it('verifies the right token and rejects a wrong one, one of a different length, and a revoked one', () => {
    const { store } = tempStore();
    const created = store.clientTokens.create('my-ide');
    expect(store.clientTokens.verify(created.token)?.name).toBe('my-ide');

    const wrong = `${created.token.slice(0, -1)}${created.token.endsWith('A') ? 'B' : 'A'}`;
    expect(store.clientTokens.verify(wrong)).toBeNull();
    expect(store.clientTokens.verify(created.token.slice(0, 10))).toBeNull();
    expect(store.clientTokens.verify(`${created.token}x`)).toBeNull();
    expect(store.clientTokens.verify('')).toBeNull();

    expect(store.clientTokens.revoke(created.id)).toBe(true);
    expect(store.clientTokens.verify(created.token)).toBeNull();
    expect(store.clientTokens.revoke(created.id)).toBe(false);
    expect(store.clientTokens.list()[0]?.revokedAt).not.toBeNull();
  });

  it('accepts a config token of 16+ characters and refuses a shorter one', () => {
    const { store } = tempStore();
    expect(store.clientTokens.create('cli', 'a-long-enough-token').hint).toBe('a-l…oken');
    expect(() => store.clientTokens.create('short', 'too-short')).toThrow(GatewayError);
  });

  it('replaces the token of a client with the same name on upsert', () => {
    const { store } = tempStore();
    const first = store.clientTokens.upsertByName('cursor', 'first-token-0123456789');
    const second = store.clientTokens.upsertByName('cursor', 'second-token-0123456789');
    expect([first.change, second.change, store.clientTokens.upsertByName('cursor', 'second-token-0123456789').change]).toEqual(['added', 'changed', 'none']);
    expect(second.info.id).toBe(first.info.id);
    expect(store.clientTokens.verify('first-token-0123456789')).toBeNull();
    expect(store.clientTokens.verify('second-token-0123456789')?.id).toBe(first.info.id);
    expect(store.clientTokens.revealAll()).toEqual([{ name: 'cursor', token: 'second-token-0123456789' }]);
  });

  it('refuses a second live token with the same name, and the same token for two clients', () => {
    const { store } = tempStore();
    store.clientTokens.create('my-ide', 'shared-token-0123456789');
    expect(() => store.clientTokens.create('my-ide')).toThrow(expect.objectContaining({ code: 'already_exists', param: 'name' }));
    expect(() => store.clientTokens.create('other', 'shared-token-0123456789')).toThrow(/same token as client "my-ide"/);
  });

  it('renames a token in place (the token keeps working) and refuses a name a live token has', () => {
    const { store } = tempStore();
    const ide = store.clientTokens.create('ide', 'ide-token-0123456789abc');
    store.clientTokens.create('cli', 'cli-token-0123456789abc');
    expect(store.clientTokens.rename(ide.id, 'vscode')).toMatchObject({ id: ide.id, name: 'vscode', hint: ide.hint });
    expect(store.clientTokens.verify('ide-token-0123456789abc')?.name).toBe('vscode');
    expect(() => store.clientTokens.rename(ide.id, 'cli')).toThrow(expect.objectContaining({ code: 'already_exists', param: 'name' }));
    expect(() => store.clientTokens.rename('nope', 'x')).toThrow(expect.objectContaining({ code: 'client_token_not_found' }));
  });

  it('knows whether any token was ever created, and records last use', () => {
    const { store } = tempStore();
    expect(store.clientTokens.isEmpty()).toBe(true);
    const created = store.clientTokens.create('my-ide');
    store.clientTokens.touch(created.id, 12345);
    expect(store.clientTokens.isEmpty()).toBe(false);
    expect(store.clientTokens.list()[0]?.lastUsedAt).toBe(12345);
  });
});

// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MaskedKeyAccount } from '../../src-proxy/control/contract.ts';
import { ProvidersPage } from '../../src-renderer/pages/providers/ProvidersPage';
import { accountEditOf, accountEditProblem, accountValuesOf } from '../../src-renderer/pages/providers/account-edit';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

const SAVED: MaskedKeyAccount = { tokenUrl: 'https://auth.example/token', clientId: 'cli…ple1', clientSecret: 'cs-…cret', refreshToken: 'rt-…oken', scopes: ['a', 'b'] };

describe("an OAuth account's fields in Edit", () => {
  it('sends nothing for the account while its fields are as saved (a label or proxy edit keeps the token)', () => {
    expect(accountEditOf(SAVED, accountValuesOf(SAVED))).toBeNull();
    expect(accountEditOf(SAVED, { ...accountValuesOf(SAVED), scopes: ' a,  b ' })).toBeNull();
  });

  it('sends the whole account with the masks of the secrets left blank, and typed secrets as typed', () => {
    expect(accountEditOf(SAVED, { ...accountValuesOf(SAVED), scopes: 'a b c' })).toEqual({ ...SAVED, scopes: ['a', 'b', 'c'] });
    expect(accountEditOf(SAVED, { ...accountValuesOf(SAVED), refreshToken: ' rt-new ' })).toEqual({ ...SAVED, refreshToken: 'rt-new' });
    const noSecret = { ...SAVED, clientSecret: null };
    const { clientSecret: _none, scopes: _scopes, ...bare } = SAVED;
    expect(accountEditOf(noSecret, { ...accountValuesOf(noSecret), scopes: '' })).toStrictEqual(bare);
  });

  it('refuses an empty token URL or client id, and a client id that still holds part of its mask', () => {
    expect(accountEditProblem(SAVED, accountValuesOf(SAVED))).toBeNull();
    expect(accountEditProblem(SAVED, { ...accountValuesOf(SAVED), tokenUrl: ' ' })?.path).toBe('oauth2.tokenUrl');
    expect(accountEditProblem(SAVED, { ...accountValuesOf(SAVED), clientId: '' })?.path).toBe('oauth2.clientId');
    expect(accountEditProblem(SAVED, { ...accountValuesOf(SAVED), clientId: 'cli…ple12' })).toMatchObject({ path: 'oauth2.clientId', message: expect.stringContaining('Type the whole client id again') });
    expect(accountEditProblem(SAVED, { ...accountValuesOf(SAVED), clientId: 'a-new-client' })).toBeNull();
  });

  it('the key row edits the account in place through replaceKey', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    const provider = fake.state.providers.find((p) => p.name === 'OpenAI')!;
    Object.assign(provider.keys[0]!, { type: 'oauth2', oauth2: SAVED, account: { hasToken: true, tokenExpiresAt: Date.now() + 3_600_000 } });
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /OpenAI/ });
    fireEvent.click(within(card).getByRole('button', { name: 'Edit key key 1' }));
    const form = within(card).getByRole('form', { name: 'Edit key key 1' });
    expect(within(form).queryByLabelText('New secret for key 1')).toBeNull();
    expect((within(form).getByLabelText('Client id of key 1') as HTMLInputElement).value).toBe('cli…ple1');
    expect((within(form).getByLabelText('Refresh token of key 1') as HTMLInputElement).type).toBe('password');
    const save = within(form).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Client id of key 1'), { target: { value: 'cli…ple1x' } });
    expect(within(form).getByRole('alert').textContent).toContain('Type the whole client id again');
    expect(save.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Client id of key 1'), { target: { value: 'cli…ple1' } });
    fireEvent.change(within(form).getByLabelText('Scopes of key 1'), { target: { value: 'a b offline' } });
    fireEvent.click(save);
    await waitFor(() => expect(fake.calls.find(([op]) => op === 'replaceKey')?.[1]).toEqual({ keyId: provider.keys[0]!.id, oauth2: { ...SAVED, scopes: ['a', 'b', 'offline'] } }));
  });
});

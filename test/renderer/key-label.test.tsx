// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProvidersPage } from '../../src-renderer/pages/providers/ProvidersPage';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

describe("a key's label", () => {
  it('is renamed from Edit alone: only the label goes to replaceKey, the secret and proxy are not sent', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /OpenAI/ });
    fireEvent.click(within(card).getByRole('button', { name: 'Edit key key 1' }));
    const form = within(card).getByRole('form', { name: 'Edit key key 1' });
    const save = within(form).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Label of key 1'), { target: { value: '  work laptop ' } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(fake.calls.find(([op]) => op === 'replaceKey')?.[1]).toEqual({ keyId: 1, label: 'work laptop' }));
    await within(card).findByRole('button', { name: 'Edit key work laptop' });
    expect(within(card).queryByRole('form', { name: /Edit key/ })).toBeNull();
  });

  it('cannot be emptied: the field says so and Save stays off', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /OpenAI/ });
    fireEvent.click(within(card).getByRole('button', { name: 'Edit key key 2' }));
    const form = within(card).getByRole('form', { name: 'Edit key key 2' });
    fireEvent.change(within(form).getByLabelText('Label of key 2'), { target: { value: '   ' } });
    expect(within(form).getByRole('alert').textContent).toBe('A key needs a label.');
    expect((within(form).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    expect(fake.calls.some(([op]) => op === 'replaceKey')).toBe(false);
  });
});

// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { ProvidersPage } from '../../src-renderer/pages/providers/ProvidersPage';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

describe('the first key in Add provider', () => {
  it('goes out with its own label and proxy; a proxy refused after the provider was created is fixed and added alone', async () => {
    const fake = createFakeControl();
    const addKey = fake.api.addKey;
    fake.api.addKey = async (request) => {
      if (request.proxy?.startsWith('ftp:')) throw new GatewayError('invalid_request', '"ftp:" is not a proxy scheme', { param: 'proxy', issues: [{ path: 'proxy', message: '"ftp:" is not a proxy scheme' }] });
      return addKey(request);
    };
    renderWithControl(<ProvidersPage />, { fake });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add provider' }))[0]!);
    fireEvent.click(await screen.findByRole('button', { name: /^OpenRouter/ }));
    const dialog = screen.getByRole('dialog');
    // No key, nothing to label.
    expect(within(dialog).queryByLabelText('Proxy for this key (optional)')).toBeNull();
    fireEvent.change(within(dialog).getByLabelText('API key'), { target: { value: 'sk-or-secret-9876' } });
    fireEvent.change(within(dialog).getByLabelText('Label (optional)'), { target: { value: ' laptop key ' } });
    fireEvent.change(within(dialog).getByLabelText('Proxy for this key (optional)'), { target: { value: 'ftp://proxy:21' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('is not a proxy scheme');
    expect(within(dialog).getByRole('status').textContent).toContain('was added without its key');

    fireEvent.change(within(dialog).getByLabelText('Proxy for this key (optional)'), { target: { value: 'http://alice:pw@proxy:3128' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add the key' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.calls.filter(([op]) => op === 'createProvider')).toHaveLength(1);
    // (The refusing wrapper sits before the fake's call log: only the accepted call is logged.)
    expect(fake.calls.filter(([op]) => op === 'addKey').map(([, request]) => request)).toEqual([
      { providerId: 'openrouter', secret: 'sk-or-secret-9876', label: 'laptop key', proxy: 'http://alice:pw@proxy:3128' },
    ]);
  });
});

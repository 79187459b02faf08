// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { describeProtocol } from '../../src-renderer/pages/providers/ProviderProtocol';
import { ProvidersPage } from '../../src-renderer/pages/providers/ProvidersPage';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

describe("a provider's HTTP/2 switch", () => {
  it('says what the calls speak: HTTP/1.1 when off, HTTP/2 by offer on https, never on plain http', () => {
    expect(describeProtocol({ http2: false, baseUrl: 'https://api.openai.com/v1' })).toBe('HTTP/1.1');
    expect(describeProtocol({ http2: true, baseUrl: 'https://api.openai.com/v1' })).toBe('HTTP/2 when the provider offers it, else HTTP/1.1');
    expect(describeProtocol({ http2: true, baseUrl: 'http://127.0.0.1:11434' })).toBe('HTTP/1.1 (HTTP/2 needs an https address)');
  });

  it('turns HTTP/2 on for one provider from its card and shows it', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /OpenAI/ });
    const toggle = within(card).getByRole('switch', { name: 'HTTP/2 for OpenAI' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(within(card).getByTestId('protocol-of-openai').textContent).toBe('HTTP/1.1');
    fireEvent.click(toggle);
    await waitFor(() => expect(fake.calls.find(([op]) => op === 'updateProvider')?.[1]).toEqual({ id: 'openai', http2: true }));
    await waitFor(() => expect(within(card).getByRole('switch', { name: 'HTTP/2 for OpenAI' }).getAttribute('aria-checked')).toBe('true'));
    expect(within(card).getByTestId('protocol-of-openai').textContent).toBe('HTTP/2 when the provider offers it, else HTTP/1.1');
  });
});

// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProvidersPage } from '../../src-renderer/pages/providers/ProvidersPage';
import { describeQueue } from '../../src-renderer/pages/providers/PacingPanel';
import { SettingsPage } from '../../src-renderer/pages/settings/SettingsPage';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

describe('provider pacing on the Providers page', () => {
  it("shows a provider's pacing limits and its queue right now, and saves new limits", async () => {
    const fake = createFakeControl({ seed: 'demo' });
    fake.state.providers = fake.state.providers.map((provider) => (provider.id === 'openai' ? { ...provider, limits: { rpm: 500, concurrency: 32 } } : provider));
    fake.state.pacing = [{ provider: 'openai', limits: { rpm: 500, concurrency: 32 }, active: 32, waiting: 3, requestsLastMinute: 41, tokensLastMinute: 12000 }];
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /OpenAI/ });
    expect(await within(card).findByText(/Pacing: 500 req\/min · 32 at once/)).toBeTruthy();
    expect(await within(card).findByText(/32 in flight, 3 waiting · 41 requests and 12,000 tokens in the last minute/)).toBeTruthy();
    const anthropic = await screen.findByRole('article', { name: /Anthropic/ });
    expect(within(anthropic).getByText('Pacing: none')).toBeTruthy();

    const form = within(card).getByRole('form', { name: 'Pacing limits of OpenAI' });
    fireEvent.change(within(form).getByLabelText('Tokens per minute (tokens/min)'), { target: { value: '2000000' } });
    fireEvent.change(within(form).getByLabelText('Requests at once (requests)'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save pacing' }));
    await waitFor(() => expect(fake.calls.some(([op]) => op === 'updateProvider')).toBe(true));
    expect(fake.calls.find(([op]) => op === 'updateProvider')![1]).toEqual({ id: 'openai', limits: { rpm: 500, tpm: 2_000_000 } });
  });

  it('refuses a pacing limit that is not a whole number above 0, naming the field', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /OpenAI/ });
    const form = within(card).getByRole('form', { name: 'Pacing limits of OpenAI' });
    fireEvent.change(within(form).getByLabelText('Requests per minute (req/min)'), { target: { value: '1.5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save pacing' }));
    expect((await within(form).findByRole('alert')).textContent).toMatch(/Requests per minute: enter a whole number above 0/);
    expect(fake.calls.some(([op]) => op === 'updateProvider')).toBe(false);
  });

  it('sets how long a paced request may wait, in seconds, in the settings', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<SettingsPage />, { fake });
    const field = await screen.findByLabelText('Pacing wait (s)');
    expect((field as HTMLInputElement).value).toBe('30');
    fireEvent.change(field, { target: { value: '10' } });
    fireEvent.blur(field);
    await waitFor(() => expect(fake.calls.find(([op]) => op === 'updateSettings')?.[1]).toEqual({ pacingMaxWaitMs: 10_000 }));
  });

  it('says when a paced provider has taken no call yet', () => {
    expect(describeQueue(undefined)).toBe('no calls yet');
  });
});

// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetBanner } from '../../src-renderer/components/BudgetBanner';
import { useLiveEvents } from '../../src-renderer/hooks/use-live-events';
import { budgetWarnings } from '../../src-renderer/lib/budget';
import { ClientsPage } from '../../src-renderer/pages/clients/ClientsPage';
import { fromDraft, toDraft } from '../../src-renderer/pages/clients/limits-form';
import { EMPTY_TOTALS } from '../../src-proxy/domain/governance.ts';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

function LiveEvents() {
  useLiveEvents();
  return null;
}

describe('the Clients page', () => {
  it('creates a client, shows its token once, and saves its expiry, models and limits', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ClientsPage />, { fake });
    fireEvent.change(await screen.findByLabelText('New client name'), { target: { value: 'ci-bot' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create client' }));
    expect(await screen.findByText(/copy it now, it is not shown again/)).toBeTruthy();
    // The new client's editor opens at once.
    const sheet = await screen.findByRole('dialog', { name: 'Edit ci-bot' });
    fireEvent.click(within(sheet).getByLabelText('Only these'));
    fireEvent.click(within(sheet).getByLabelText('gpt-4o'));
    fireEvent.change(within(sheet).getByLabelText('Another model name or pattern'), { target: { value: 'openrouter/*' } });
    fireEvent.click(within(sheet).getByRole('button', { name: 'Add' }));
    fireEvent.change(within(sheet).getByLabelText('Requests per minute (req/min)'), { target: { value: '60' } });
    fireEvent.change(within(sheet).getByLabelText('Daily budget (USD)'), { target: { value: '5' } });
    fireEvent.change(within(sheet).getByLabelText('Expires'), { target: { value: '2030-01-01T00:00' } });
    fireEvent.click(within(sheet).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const update = fake.calls.find(([op]) => op === 'updateClientToken')![1];
    expect(update).toMatchObject({ models: ['gpt-4o', 'openrouter/*'], limits: { rpm: 60, dailyBudgetUsd: 5 }, expiresAt: new Date('2030-01-01T00:00').getTime() });
    const card = await screen.findByRole('article', { name: /ci-bot/ });
    expect(within(card).getByText('gpt-4o, openrouter/*')).toBeTruthy();
    expect(within(card).getByText('60 req/min')).toBeTruthy();
  });

  it('refuses a limit that is not a number above 0, naming the field', async () => {
    renderWithControl(<ClientsPage />, { fake: createFakeControl({ seed: 'demo' }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit claude-code' }));
    const sheet = await screen.findByRole('dialog', { name: 'Edit claude-code' });
    fireEvent.change(within(sheet).getByLabelText('Requests at once (requests)'), { target: { value: '2.5' } });
    fireEvent.click(within(sheet).getByRole('button', { name: 'Save' }));
    expect((await within(sheet).findByRole('alert')).textContent).toContain('Requests at once: enter a whole number');
  });

  it("shows today's and this month's spend against the budgets, and 'no price' requests", async () => {
    renderWithControl(<ClientsPage />, { fake: createFakeControl({ seed: 'demo' }) });
    const card = await screen.findByRole('article', { name: /claude-code/ });
    const meters = within(card).getAllByRole('meter');
    expect(meters.map((meter) => meter.getAttribute('aria-valuetext'))).toEqual(['$4.62 of $10.00 (46 %)', '$61.30 of $150.00 (41 %)']);
    const aider = screen.getByRole('article', { name: /aider/ });
    expect(within(aider).queryAllByRole('meter')).toHaveLength(0);
    expect(within(aider).getByText('3 with no price')).toBeTruthy();
    expect(within(aider).getByRole('link', { name: 'History of aider →' }).getAttribute('href')).toBe('#/history?client=aider');
  });

  it('switches a client off, rotates its token (shown once) and revokes it after confirming', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ClientsPage />, { fake });
    const card = await screen.findByRole('article', { name: /aider/ });
    fireEvent.click(within(card).getByRole('switch', { name: 'aider enabled' }));
    await within(card).findByText('Disabled');
    fireEvent.click(within(card).getByRole('button', { name: 'Rotate the token of aider' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Rotate token' }));
    expect(await screen.findByText(/copy it now/)).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Revoke aider' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /aider/ })).toBeNull());
    expect(fake.calls.map(([op]) => op)).toEqual(expect.arrayContaining(['updateClientToken', 'rotateClientToken', 'revokeClientToken']));
  });

  it('edits the tokenless Ollama lane limits in the settings', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ClientsPage />, { fake });
    const lane = await screen.findByRole('form', { name: 'Ollama lane limits' });
    fireEvent.change(within(lane).getByLabelText('Requests per minute (req/min)'), { target: { value: '120' } });
    fireEvent.click(within(lane).getByRole('button', { name: 'Save lane limits' }));
    await waitFor(() => expect(fake.state.settings.ollamaLane).toEqual({ limits: { rpm: 120 } }));
  });
});

describe('the budget banner', () => {
  it('appears at 80 % of a budget and says when a spent one resets', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    fake.state.usage.tok_a!.today = { ...EMPTY_TOTALS, requests: 9, costUsd: 8.5 };
    renderWithControl(<><LiveEvents /><BudgetBanner /></>, { fake });
    expect((await screen.findByRole('status')).textContent).toContain('claude-code is at 85 % of its daily budget ($8.50 of $10.00)');
    fake.state.usage.tok_a!.today = { ...EMPTY_TOTALS, requests: 10, costUsd: 10.2 };
    // The core's budget event refreshes the banner at once (no waiting for the next poll).
    act(() => fake.events.emit({ type: 'budget', alert: { client: 'claude-code', period: 'day', threshold: 100, spentUsd: 10.2, budgetUsd: 10, at: Date.now() } }));
    expect(await screen.findByText(/has spent its daily budget \(\$10\.20 of \$10\.00\): its requests are refused until it resets at midnight/)).toBeTruthy();
  });

  it('lists budgets at 80 % or more, most spent first', () => {
    const usage = (day: number, month: number) => ({ day: 'd', month: 'm', today: { ...EMPTY_TOTALS, costUsd: day }, thisMonth: { ...EMPTY_TOTALS, costUsd: month }, lifetime: EMPTY_TOTALS, active: 0 });
    const warnings = budgetWarnings([
      { name: 'a', limits: { dailyBudgetUsd: 10, monthlyBudgetUsd: 100 }, usage: usage(7.9, 100) },
      { name: 'b', limits: { dailyBudgetUsd: 10 }, usage: usage(8, 0) },
      { name: 'c', limits: {}, usage: usage(1000, 1000) },
    ]);
    expect(warnings.map(({ client, state }) => [client, state.period, state.level])).toEqual([['a', 'month', 'over'], ['b', 'day', 'warn']]);
  });

  it('turns limit fields into limits and back', () => {
    expect(fromDraft({ ...toDraft({}), rpm: ' 60 ', dailyBudgetUsd: '2.5' })).toEqual({ limits: { rpm: 60, dailyBudgetUsd: 2.5 } });
    expect(fromDraft({ ...toDraft({}), tpm: '-1' })).toMatchObject({ field: 'tpm' });
    expect(toDraft({ concurrency: 4 }).concurrency).toBe('4');
  });
});

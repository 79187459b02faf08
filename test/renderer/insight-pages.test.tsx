// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryDetailView } from '../../src-renderer/pages/history/HistoryDetailView';
import { ModelsPage } from '../../src-renderer/pages/models/ModelsPage';
import { SettingsPage } from '../../src-renderer/pages/settings/SettingsPage';
import { UsagePage } from '../../src-renderer/pages/usage/UsagePage';
import type { HistoryDetail } from '../../src-proxy/control/contract.ts';
import { createFakeControl, makeHistoryRow } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

/** Generous: the first render of a page under a loaded machine takes seconds. */
const SLOW = { timeout: 10_000 };

describe('the response cache in the dashboard', () => {
  it('turns an alias\'s cache on with a TTL and saves it', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    renderWithControl(<ModelsPage />, { fake });
    fireEvent.click(await screen.findByRole('button', { name: /^gpt-4o/ }, SLOW));
    const editor = await screen.findByRole('form', { name: 'Alias editor' }, SLOW);
    fireEvent.click(within(editor).getByRole('switch', { name: 'Replay answers to repeated questions' }));
    fireEvent.change(within(editor).getByLabelText('Keep answers for (seconds)'), { target: { value: '600' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save alias' }));
    await waitFor(() => expect(fake.state.aliases.find((alias) => alias.alias === 'gpt-4o')?.cache).toEqual({ ttlSeconds: 600 }), SLOW);
  });

  it('shows how full the cache is, and clears it after a confirmation', async () => {
    const fake = createFakeControl();
    fake.state.cacheStats = { entries: 12, bytes: 3 * 1024 * 1024, maxBytes: 256 * 1024 * 1024 };
    renderWithControl(<SettingsPage />, { fake });
    expect(await screen.findByText('12 answers, 3.0 MB of 256 MB', {}, SLOW)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear the cache' }));
    fireEvent.click(within(await screen.findByRole('alertdialog', { name: 'Clear the response cache?' }, SLOW)).getByRole('button', { name: 'Clear the cache' }));
    expect(await screen.findByText('Removed 12 answers.', {}, SLOW)).toBeTruthy();
    expect(await screen.findByText('0 answers, 0.0 MB of 256 MB', {}, SLOW)).toBeTruthy();
  });

  it('turns metrics on and shows a new metrics token once', async () => {
    const fake = createFakeControl();
    renderWithControl(<SettingsPage />, { fake });
    fireEvent.click(await screen.findByRole('switch', { name: 'Serve Prometheus metrics' }, SLOW));
    await waitFor(() => expect(fake.state.settings.metrics.enabled).toBe(true), SLOW);
    fireEvent.click(screen.getByRole('button', { name: 'Create metrics token' }));
    const shown = await screen.findByText(/Metrics token — copy it now/, {}, SLOW);
    const token = shown.parentElement!.querySelector('code')!.textContent!;
    expect(token).toMatch(/^sbm-/);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Replace metrics token' })).toBeTruthy(), SLOW);
    expect(screen.getAllByText(fake.state.settings.metrics.token!).length).toBeGreaterThan(0);
    expect(fake.state.settings.metrics.token).not.toBe(token);
  });

  it('lists what Switchboard changed in the request', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 3 });
    const notes = ["max_tokens 128000 lowered to 32000, the model's output limit", 'thinking asked without a budget: budget_tokens 8192 chosen'];
    renderWithControl(<HistoryDetailView detail={{ ...fake.state.history[0]!, notes }} origin="http://127.0.0.1:11434" />, { fake });
    const section = screen.getByRole('region', { name: 'What Switchboard changed' });
    expect(within(section).getAllByRole('listitem').map((item) => item.textContent)).toEqual(notes);
  });

  it('says which machine a request came from, when the row knows', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 3 });
    const detail = fake.state.history[0]!;
    renderWithControl(<HistoryDetailView detail={{ ...detail, clientAddress: '203.0.113.7' }} origin="http://127.0.0.1:11434" />, { fake });
    expect(screen.getByText('Client').nextElementSibling?.textContent).toBe(`${detail.client} from 203.0.113.7`);
    cleanup();
    renderWithControl(<HistoryDetailView detail={{ ...detail, clientAddress: null }} origin="http://127.0.0.1:11434" />, { fake });
    expect(screen.getByText('Client').nextElementSibling?.textContent).toBe(detail.client);
  });

  it('shows no such section when nothing was changed', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 3 });
    renderWithControl(<HistoryDetailView detail={{ ...fake.state.history[0]!, notes: [] }} origin="http://127.0.0.1:11434" />, { fake });
    expect(screen.queryByRole('region', { name: 'What Switchboard changed' })).toBeNull();
  });

  it("shows the HTTP version each attempt's answer came in, and none where no answer came or none was recorded", async () => {
    const fake = createFakeControl();
    const detail = fake.state.history[0]!;
    const attempts = [
      { provider: 'gone', model: 'm', keyLabel: null, status: 502, errorCode: 'upstream_unreachable', durationMs: 3 },
      { provider: 'busy', model: 'm', keyLabel: 'main', status: 503, errorCode: 'upstream_error', durationMs: 40, protocol: 'h2' as const },
      { provider: 'old', model: 'm', keyLabel: null, status: 200, errorCode: null, durationMs: 900, protocol: 'http/1.1' as const },
    ];
    renderWithControl(<HistoryDetailView detail={{ ...detail, notes: [], attempts }} origin="http://127.0.0.1:11434" />, { fake });
    const list = document.querySelector('ol.attempts');
    expect(list).not.toBeNull();
    const items = within(list as HTMLElement).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]!.querySelector('.attempt-protocol')).toBeNull();
    expect(items[1]!.querySelector('.attempt-protocol')?.textContent).toBe(' over HTTP/2');
    expect(items[2]!.querySelector('.attempt-protocol')?.textContent).toBe(' over HTTP/1.1');
    expect(items[1]!.textContent).toContain('busy/m key main over HTTP/2 503');
  });

  it('says a hit came from the cache, with the tokens it saved and no attempt', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 3 });
    const detail = { ...fake.state.history[0]!, cache: 'hit' as const, attempts: [], inputTokens: 120, outputTokens: 40 };
    renderWithControl(<HistoryDetailView detail={detail} origin="http://127.0.0.1:11434" />, { fake });
    expect(screen.getByText(/Answered from the response cache/)).toBeTruthy();
    expect(screen.getByText('Tokens saved')).toBeTruthy();
    expect(screen.getByText('None: the answer came from the response cache.')).toBeTruthy();
  });
});

describe('latency, errors and cache on the Usage page', () => {
  it('shows p50/p95 latency and first token, the error rate, the hit rate and the money hits saved per group', async () => {
    const fake = createFakeControl();
    const now = Date.now();
    const row = (index: number, durationMs: number, extra: Partial<HistoryDetail> = {}): HistoryDetail => ({ ...makeHistoryRow(index * 4, now - 60_000 * (index + 1)), durationMs, ttftMs: 100 + index, status: 200, errorCode: null, ...extra });
    fake.state.history = [
      row(0, 1000), row(1, 2000), row(2, 3000, { status: 502, errorCode: 'upstream_error', ttftMs: null }),
      row(3, 5, { cache: 'hit', inputTokens: 1000, outputTokens: 100, attempts: [] }),
    ];
    renderWithControl(<UsagePage />, { fake });
    const table = await screen.findByRole('table', { name: 'Latency by group' }, SLOW);
    const cells = within(within(table).getByText('gpt-4o').closest('tr')!).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells).toEqual(['gpt-4o', '4', '25.0 %', '1000 ms', '3000 ms', '101 ms', '103 ms', '1 (100 %)', '$0.0035']);
    const totals = screen.getByRole('list', { name: 'Latency totals' });
    expect(within(totals).getByText('100 %').nextSibling?.textContent).toBe('Cache hit rate');
    expect(within(totals).getByText('$0.0035').nextSibling?.textContent).toBe('Saved by the cache');
  });

  it('shows each history row its estimated cost, and a hit as costing nothing', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 3 });
    const detail = { ...fake.state.history[0]!, cache: 'hit' as const, attempts: [], costUsd: 0 };
    renderWithControl(<HistoryDetailView detail={detail} origin="http://127.0.0.1:1" />, { fake });
    expect(await screen.findByText('$0 (answered from the cache)', {}, SLOW)).toBeTruthy();
    cleanup();
    renderWithControl(<HistoryDetailView detail={{ ...detail, cache: null, costUsd: 0.0123 }} origin="http://127.0.0.1:1" />, { fake });
    expect(await screen.findByText('$0.0123', {}, SLOW)).toBeTruthy();
  });
});

// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src-renderer/App';
import { ControlError } from '../../src-renderer/api/control-error';
import { createBridgeClient } from '../../src-renderer/api/bridge-client';
import type { ControlClient } from '../../src-renderer/api/types';
import { ErrorNotice } from '../../src-renderer/components/ErrorNotice';
import { TargetList } from '../../src-renderer/pages/models/TargetList';
import { HistoryPage } from '../../src-renderer/pages/history/HistoryPage';
import { OverviewPage } from '../../src-renderer/pages/overview/OverviewPage';
import { ProvidersPage } from '../../src-renderer/pages/providers/ProvidersPage';
import { SettingsPage } from '../../src-renderer/pages/settings/SettingsPage';
import { createFakeControl } from './fake-control';
import { bridgeFor, renderWithControl } from './render-with-control';

afterEach(cleanup);

describe('first run', () => {
  it('tells a new user the next step on the overview', async () => {
    renderWithControl(<OverviewPage />);
    expect(await screen.findByRole('link', { name: 'Add a provider and its API key' })).toHaveProperty('hash', '#/providers');
    expect(await screen.findByText('No requests yet')).toBeTruthy();
  });

  it('offers to add the first provider', async () => {
    renderWithControl(<ProvidersPage />);
    expect(await screen.findByText('No providers yet')).toBeTruthy();
  });
});

describe('providers', () => {
  it('adds a provider from a preset with its base URL filled in, and its key', async () => {
    const { fake } = renderWithControl(<ProvidersPage />);
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add provider' }))[0]!);
    fireEvent.click(await screen.findByRole('button', { name: /^OpenRouter/ }));
    expect((screen.getByLabelText('Base URL') as HTMLInputElement).value).toBe('https://openrouter.ai/api/v1');
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'sk-or-secret-9876' } });
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Add provider' }));
    const card = await screen.findByRole('article', { name: /OpenRouter/ });
    expect(within(card).getByText('sk-…9876')).toBeTruthy();
    expect(document.body.textContent).not.toContain('sk-or-secret-9876');
    expect(fake.calls.map(([op]) => op)).toEqual(expect.arrayContaining(['createProvider', 'addKey']));
  });

  it('a key whose rest is over shows ok, not its old 429', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    const openai = fake.state.providers.find((p) => p.id === 'openai')!;
    openai.keys = openai.keys.map((k) => (k.id === 2 ? { ...k, cooldownUntil: Date.now() - 1000 } : k));
    renderWithControl(<ProvidersPage />, { fake });
    const card = await screen.findByRole('article', { name: /^OpenAI/ });
    expect(within(card).queryByText(/resting until/)).toBeNull();
    expect(within(card).queryByText('429 rate limited')).toBeNull();
    expect(within(card).getAllByText('ok')).toHaveLength(2);
  });

  it('shows a key\'s cooldown and last error, and the core\'s error code when an action fails', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    fake.api.deleteProvider = async () => { throw new ControlError('internal_error', 'Switchboard hit an unexpected error. The log has the details.'); };
    renderWithControl(<ProvidersPage />, { fake });
    expect(await screen.findByText(/resting until/)).toBeTruthy();
    expect(screen.getByText('429 rate limited')).toBeTruthy();
    const card = screen.getByRole('article', { name: /^OpenAI/ });
    fireEvent.click(within(card).getByRole('button', { name: 'Delete provider OpenAI' }));
    fireEvent.click(within(await screen.findByRole('alertdialog', { name: 'Delete OpenAI?' })).getByRole('button', { name: 'Delete provider' }));
    const alert = await within(card).findByRole('alert');
    expect(alert.textContent).toContain('internal_error');
  });
});

describe('alias targets', () => {
  it('reorder with Alt+Arrow on the handle and with the buttons', () => {
    let targets = [{ provider: 'a', model: 'one' }, { provider: 'b', model: 'two' }, { provider: 'c', model: 'three' }];
    const view = () => <TargetList targets={targets} providers={[]} models={[]} onChange={(next) => { targets = next; }} />;
    const { rerender } = renderWithControl(view());
    fireEvent.keyDown(screen.getByRole('button', { name: /Target 1: a\/one/ }), { key: 'ArrowDown', altKey: true });
    expect(targets.map((t) => t.model)).toEqual(['two', 'one', 'three']);
    rerender(view());
    fireEvent.click(screen.getAllByRole('button', { name: 'Move up' })[2]!);
    expect(targets.map((t) => t.model)).toEqual(['two', 'three', 'one']);
  });
});

describe('settings', () => {
  it('sends client tokens to the Clients page, where they now live', async () => {
    renderWithControl(<SettingsPage />);
    expect((await screen.findByRole('link', { name: 'Clients' })).getAttribute('href')).toBe('#/clients');
    expect(screen.queryByLabelText('Token name')).toBeNull();
  });

  it('shows start-on-launch and launch at login in the desktop window only, and tells serve users the truth', async () => {
    const fake = createFakeControl();
    const serveClient: ControlClient = { ...createBridgeClient(bridgeFor(fake)), host: 'serve', desktop: null };
    renderWithControl(<SettingsPage />, { fake, client: serveClient });
    expect(await screen.findByText(/runs as long as that command does/)).toBeTruthy();
    expect(screen.queryByText('Start the proxy when Switchboard starts')).toBeNull();
    expect(screen.queryByText('Launch Switchboard at login')).toBeNull();
    cleanup();
    renderWithControl(<SettingsPage />, { fake });
    expect(await screen.findByText('Launch Switchboard at login')).toBeTruthy();
    expect(screen.getByText('Start the proxy when Switchboard starts')).toBeTruthy();
    // Onboarding unfinished: the proxy starts anyway, and the page says so beside the switch.
    expect(screen.getByText(/starts anyway/)).toBeTruthy();
  });

  it('shows the port the proxy listens on, not only the saved one', async () => {
    const fake = createFakeControl();
    fake.state.status = { ...fake.state.status, port: 11500 };
    const serveClient: ControlClient = { ...createBridgeClient(bridgeFor(fake)), host: 'serve', desktop: null };
    renderWithControl(<SettingsPage />, { fake, client: serveClient });
    await waitFor(async () => expect((await screen.findByText('Listening now:')).parentElement!.textContent).toContain('127.0.0.1:11500'));
    expect((screen.getByLabelText('Saved port') as HTMLInputElement).value).toBe('11434');
    expect(document.body.textContent).toContain('This run listens on 11500');
  });

  it('says at the field what retention accepts, without sending 0 to the core', async () => {
    const { fake } = renderWithControl(<SettingsPage />);
    const field = await screen.findByLabelText('Keep history for (days)');
    fireEvent.change(field, { target: { value: '0' } });
    fireEvent.blur(field);
    const message = await screen.findByText('Enter at least 1 days.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain(message.id);
    expect(fake.calls.some(([op]) => op === 'updateSettings')).toBe(false);
    // Nothing schema-shaped at the top of the page.
    expect(screen.queryByText(/invalid_request/)).toBeNull();
  });

  it('shows a refusal by the core at its field rather than at the top', async () => {
    const fake = createFakeControl();
    fake.api.updateSettings = async () => {
      throw Object.assign(new ControlError('invalid_request', 'historyRetentionDays: Too small: expected number to be >=1', [{ path: 'historyRetentionDays', message: 'Too small: expected number to be >=1' }]));
    };
    const client = createBridgeClient({ ...bridgeFor(fake), invoke: (async (operation: string, request: unknown) => operation === 'updateSettings'
      ? { ok: false, error: { code: 'invalid_request', message: 'historyRetentionDays: Too small', issues: [{ path: 'historyRetentionDays', message: 'Too small: expected number to be >=1' }] } }
      : bridgeFor(fake).invoke(operation as never, request as never)) as never });
    renderWithControl(<SettingsPage />, { fake, client });
    const field = await screen.findByLabelText('Keep history for (days)');
    fireEvent.change(field, { target: { value: '5' } });
    fireEvent.blur(field);
    expect(await screen.findByText('Too small: expected number to be >=1')).toBeTruthy();
    expect(screen.queryByText(/invalid_request/)).toBeNull();
  });

  it('saves more names to redact from captured requests, one per line or comma-separated', async () => {
    const { fake } = renderWithControl(<SettingsPage />);
    const field = await screen.findByLabelText('More names to redact');
    fireEvent.change(field, { target: { value: 'X-Custom-Secret, session_token\n\nsession_token' } });
    fireEvent.blur(field);
    await waitFor(() => expect(fake.state.settings.redactFields).toEqual(['X-Custom-Secret', 'session_token']));
  });

  it('saves the theme and applies it to the page', async () => {
    const { fake } = renderWithControl(<App />);
    await act(async () => { window.location.hash = '#/settings'; });
    fireEvent.click(await screen.findByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(fake.state.settings.theme).toBe('dark');
  });
});

describe('history search', () => {
  it('says body capture is off instead of a bare "nothing matches"', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 30 });
    fake.state.settings = { ...fake.state.settings, recordBodies: false };
    renderWithControl(<HistoryPage />, { fake });
    fireEvent.change(await screen.findByLabelText('Search bodies, models and clients'), { target: { value: 'a phrase from a prompt' } });
    expect((await screen.findByText(/Body capture is off/)).textContent).toContain('not at prompts or answers');
    expect(await screen.findByText('Request bodies were not searched: body capture is off.')).toBeTruthy();
  });

  it('says nothing about capture when it is on', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 30 });
    fake.state.settings = { ...fake.state.settings, recordBodies: true };
    renderWithControl(<HistoryPage />, { fake });
    fireEvent.change(await screen.findByLabelText('Search bodies, models and clients'), { target: { value: 'no such words anywhere' } });
    expect(await screen.findByText('Nothing matches')).toBeTruthy();
    expect(screen.queryByText(/Body capture is off/)).toBeNull();
  });
});

describe('errors', () => {
  it('show the core code next to its message', () => {
    renderWithControl(<ErrorNotice error={new ControlError('no_provider_key', 'The provider has no usable key.')} />);
    expect(screen.getByRole('alert').textContent).toBe('no_provider_key The provider has no usable key.');
  });

  it('explain how to open the dashboard when the admin token is wrong', async () => {
    const fake = createFakeControl();
    fake.api.getStatus = async () => { throw new ControlError('invalid_admin_token', 'The dashboard token is missing or wrong.'); };
    renderWithControl(<App />, { fake });
    expect(await screen.findByText('Open the dashboard with its address')).toBeTruthy();
  });
});

describe('live updates', () => {
  it('new requests pushed by the core appear in the overview feed', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 3 });
    renderWithControl(<App />, { fake });
    await act(async () => { window.location.hash = '#/overview'; });
    await screen.findByText('Latest requests');
    const row = { ...fake.state.history[0]!, id: 'req_new', startedAt: Date.now(), requestedModel: 'brand-new-model' };
    await waitFor(() => expect(fake.events.listenerCount()).toBe(1));
    act(() => fake.events.emit({ type: 'history', rows: [row] }));
    expect(await screen.findByText('brand-new-model')).toBeTruthy();
  });
});

// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OverviewPage } from '../../src-renderer/pages/overview/OverviewPage';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

describe('overview: connectivity', () => {
  it('says "offline — using local models" while remote circuits are open', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    const now = Date.now();
    fake.state.status = {
      ...fake.state.status,
      routing: { offline: true, usingLocal: true, circuits: [{ provider: 'openrouter', state: 'open', since: now - 4000, probeAt: now + 26_000, reason: '3 connection failures in a row', local: false }] },
    };
    renderWithControl(<OverviewPage />, { fake });
    const notice = await screen.findByRole('status', { name: 'Connectivity' });
    expect(notice.textContent).toContain('Offline — using local models');
    expect(notice.textContent).toContain('openrouter skipped since');
    expect(notice.textContent).toContain('3 connection failures in a row');
  });

  it('says nothing while every provider answers', async () => {
    renderWithControl(<OverviewPage />, { fake: createFakeControl({ seed: 'demo' }) });
    await screen.findByText('Proxy');
    expect(screen.queryByRole('status', { name: 'Connectivity' })).toBeNull();
  });
});

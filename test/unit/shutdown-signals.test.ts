import { describe, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS, installShutdownSignals } from '../../src-proxy/cli/shutdown-signals.ts';

function setup() {
  let now = 0;
  const calls: string[] = [];
  const signal = installShutdownSignals({
    shutdown: () => calls.push('drain'),
    forceExit: () => calls.push('exit now'),
    now: () => now,
    on: () => undefined,
  });
  return { calls, signal, advance: (ms: number) => (now += ms) };
}

describe('Ctrl-C handling of serve', () => {
  it('drains on the first signal and takes copies that arrive with it as the same one', () => {
    const { calls, signal, advance } = setup();
    signal('SIGINT');
    advance(5);
    signal('SIGINT');
    signal('SIGTERM');
    expect(calls).toEqual(['drain']);
  });

  it('exits at once on a second Ctrl-C given on purpose', () => {
    const { calls, signal, advance } = setup();
    signal('SIGINT');
    advance(DUPLICATE_WINDOW_MS + 1);
    signal('SIGINT');
    expect(calls).toEqual(['drain', 'exit now']);
  });
});

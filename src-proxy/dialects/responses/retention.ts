/**
 * Kept responses follow the history retention setting: they hold conversation text, so they
 * must not outlive the history the user chose to keep. Pruned at start and hourly, on a timer
 * owned by the HTTP server that serves the Responses routes (stopped when it closes).
 */
import type { DialectContext } from '../../http/dialect-context.ts';

const DAY_MS = 86_400_000;

export function startResponseRetention(context: Pick<DialectContext, 'store' | 'settings'>, intervalMs = 3_600_000, now: () => number = Date.now): () => void {
  const run = () => {
    // A failed prune is retried at the next interval; the reason goes to stderr like the history's.
    context.store.responses
      .prune(now() - context.settings().historyRetentionDays * DAY_MS)
      .catch((error: unknown) => console.error('switchboard: pruning kept responses failed', error));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

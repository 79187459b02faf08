import type { Settings } from '../domain/settings.ts';
import type { HistoryRepository } from '../store/types.ts';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  history: HistoryRepository;
  /** Read at every run, so a changed retention setting applies without a restart. */
  settings: () => Settings;
  /** Default: hourly. */
  intervalMs?: number;
  now?: () => number;
  onPruned?(removed: number): void;
  /** Called after each run (store.checkpoint) so the WAL cannot grow without bound. */
  checkpoint?(): void;
  onError?(error: unknown): void;
}

/**
 * Deletes history older than `historyRetentionDays`, once now and then every interval.
 * The timer is unref'd so it never keeps a process alive. Returns the stop function.
 */
export function startRetention(options: RetentionOptions): () => void {
  const { history, settings, intervalMs = 3_600_000, now = Date.now, onPruned, checkpoint } = options;
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.error('switchboard: history retention failed', error);
    });

  function pruned(removed: number): void {
    onPruned?.(removed);
    checkpoint?.();
  }

  /** SQLite prunes at once; a team store's prune is a Promise (its failure still goes to onError). */
  function run(): void {
    try {
      const cutoff = now() - settings().historyRetentionDays * DAY_MS;
      const removed = history.prune(cutoff);
      if (typeof removed === 'number') pruned(removed);
      else removed.then(pruned).catch(onError);
    } catch (error) {
      onError(error);
    }
  }

  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

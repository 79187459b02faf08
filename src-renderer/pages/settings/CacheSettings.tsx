import type { Settings, SettingsPatch } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { issueAt } from '../../lib/field-issues';
import { formatInteger } from '../../lib/format';
import { NumberSetting } from './NumberSetting';

const MB = 1024 * 1024;

/** The response cache's size bound, how full it is, and the button that empties it. */
export function CacheSettings({ settings, error, save }: { settings: Settings; error: unknown; save: (patch: SettingsPatch) => void }) {
  const stats = useControlQuery('getCacheStats', undefined, { refetchInterval: 10_000 });
  const clear = useControlMutation('clearCache');
  const s = stats.data;
  return (
    <Panel title="Response cache">
      <p className="muted small">Aliases opt in on the Models page. Kept answers are replayed to any client asking the same question, at no cost.</p>
      <NumberSetting label="Largest size" unit="MB" integer min={1} max={100_000} value={settings.cache.maxMb}
        hint="When the kept answers outgrow this, the least recently used go first."
        serverError={issueAt(error, 'cache.maxMb')} onCommit={(maxMb) => save({ cache: { maxMb } })} />
      <div className="fact" aria-live="polite">
        <span className="muted">Holds now:</span>
        <span>{s ? `${formatInteger(s.entries)} answer${s.entries === 1 ? '' : 's'}, ${(s.bytes / MB).toFixed(1)} MB of ${(s.maxBytes / MB).toFixed(0)} MB` : '…'}</span>
      </div>
      {clear.data ? <p className="muted small" role="status">Removed {formatInteger(clear.data.removed)} answers.</p> : null}
      <ErrorNotice error={stats.error ?? clear.error} />
      <div className="form-actions">
        <ConfirmButton label="Clear the cache" title="Clear the response cache?" actionLabel="Clear the cache"
          description="Every kept answer is removed; the next request of each question goes to its provider again." onConfirm={() => clear.mutate(undefined)} />
      </div>
    </Panel>
  );
}

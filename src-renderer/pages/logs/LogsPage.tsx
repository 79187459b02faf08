import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LOG_LEVELS, levelRank, type LogEntry, type LogLevelName } from '../../../src-proxy/domain/log-levels.ts';
import type { ControlError } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { useControlClient } from '../../hooks/control-context';
import { LOG_CONSOLE_LINES, LOG_TAIL_KEY } from '../../hooks/live-cache';

/**
 * The live log console: the engine's newest log lines (already redacted by its logger), new ones
 * pushed over the event stream. Pause freezes what is shown while lines keep arriving.
 */
export function LogsPage() {
  const client = useControlClient();
  const tail = useQuery<LogEntry[], ControlError>({
    queryKey: LOG_TAIL_KEY,
    queryFn: () => client.invoke('getLogTail', { limit: LOG_CONSOLE_LINES }),
    staleTime: Infinity,
  });
  const [level, setLevel] = useState<LogLevelName>('trace');
  const [frozenAt, setFrozenAt] = useState<number | null>(null);
  const [clearedAt, setClearedAt] = useState(0);
  const all = tail.data ?? [];
  const newest = all.length > 0 ? all[all.length - 1]!.seq : 0;
  const shown = useMemo(
    () => all.filter((entry) => entry.seq > clearedAt && (frozenAt === null || entry.seq <= frozenAt) && levelRank(entry.level) >= levelRank(level)),
    [all, clearedAt, frozenAt, level],
  );
  const waiting = frozenAt === null ? 0 : all.filter((entry) => entry.seq > frozenAt && levelRank(entry.level) >= levelRank(level)).length;

  const bottom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (frozenAt === null) bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [shown.length, frozenAt]);

  return (
    <>
      <PageHeader title="Logs" description="The engine's log as it happens, secrets redacted. Requests themselves are in History." />
      <ErrorNotice error={tail.error} />
      <Panel
        title="Live log"
        actions={
          <div className="toolbar">
            <label className="inline-label">
              Level
              <select aria-label="Level" value={level} onChange={(event) => setLevel(event.target.value as LogLevelName)}>
                {LOG_LEVELS.map((name) => <option key={name} value={name}>{name === 'trace' ? 'All levels' : `${name} and above`}</option>)}
              </select>
            </label>
            <button type="button" className="button small" aria-pressed={frozenAt !== null} onClick={() => setFrozenAt(frozenAt === null ? newest : null)}>
              {frozenAt === null ? 'Pause' : waiting > 0 ? `Resume (${waiting} new)` : 'Resume'}
            </button>
            <button type="button" className="button small" onClick={() => setClearedAt(newest)}>Clear view</button>
          </div>
        }
      >
        {tail.data && shown.length === 0 ? (
          <EmptyState title="No log lines">{all.length === 0 ? 'The engine has logged nothing since it started.' : 'No line matches the level, or the view was cleared.'}</EmptyState>
        ) : (
          <div className="log-console" role="log" aria-live={frozenAt === null ? 'polite' : 'off'}>
            {shown.map((entry) => (
              <div key={entry.seq} className={`log-line log-${entry.level}`}>
                <span className="muted">{new Date(entry.time).toLocaleTimeString()}</span>
                <span className="log-level">{entry.level.toUpperCase()}</span>
                <span>{entry.msg}</span>
                {entry.fields ? <span className="muted">{entry.fields}</span> : null}
              </div>
            ))}
            <div ref={bottom} />
          </div>
        )}
      </Panel>
    </>
  );
}

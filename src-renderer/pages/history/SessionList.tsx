import type { SessionSummary } from '../../../src-proxy/control/contract.ts';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { useControlQuery } from '../../hooks/use-control';
import { formatInteger, formatTime } from '../../lib/format';

/** History grouped by session (listSessions): one line per conversation, newest first; choosing one shows its requests. */
export function SessionList({ onOpen }: { onOpen: (session: string) => void }) {
  const sessions = useControlQuery('listSessions', {});
  if (sessions.isPending) return <Loading />;
  if (sessions.error) return <ErrorNotice error={sessions.error} />;
  const list: SessionSummary[] = sessions.data ?? [];
  if (list.length === 0) return <EmptyState title="No sessions yet">Chat requests are grouped by their x-session-id, or by the conversation they continue.</EmptyState>;
  return (
    <div className="panel session-list">
      <table className="table compact" aria-label="Sessions">
        <thead><tr><th>Session</th><th>Client</th><th>Last request</th><th className="num">Requests</th><th className="num">Errors</th><th className="num">Loops</th><th className="num">Tokens in/out</th><th>Models</th></tr></thead>
        <tbody>
          {list.map((session) => (
            <tr key={session.session} className={session.loops > 0 ? 'loop' : undefined}>
              <td><button type="button" className="button link mono" onClick={() => onOpen(session.session)}>{session.session}</button></td>
              <td>{session.client}</td>
              <td className="mono nowrap">{formatTime(session.lastAt)}</td>
              <td className="num mono">{formatInteger(session.requests)}</td>
              <td className="num mono">{formatInteger(session.errors)}</td>
              <td className="num mono">{session.loops > 0 ? <span className="badge badge-loop">{formatInteger(session.loops)}</span> : '0'}</td>
              <td className="num mono">{formatInteger(session.inputTokens)} / {formatInteger(session.outputTokens)}</td>
              <td className="mono ellipsis">{session.models.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

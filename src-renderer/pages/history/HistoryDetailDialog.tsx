import { Sheet } from '../../components/Sheet';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { HistoryDetailView } from './HistoryDetailView';

export function HistoryDetailDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useControlQuery('getHistoryEntry', { id });
  const status = useControlQuery('getStatus');
  const origin = useControlClient().gatewayOrigin(status.data) ?? `http://127.0.0.1:${status.data?.port ?? 11434}`;
  return (
    <Sheet title="Request detail" onClose={onClose} wide>
      <ErrorNotice error={detail.error} />
      {detail.isPending ? <Loading /> : null}
      {detail.data === null ? <p className="muted">This request is no longer in the history (pruned or cleared).</p> : null}
      {detail.data ? <HistoryDetailView detail={detail.data} origin={origin} /> : null}
    </Sheet>
  );
}

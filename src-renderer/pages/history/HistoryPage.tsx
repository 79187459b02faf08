import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { NARROW_WINDOW_QUERY, useMediaQuery } from '../../hooks/use-media-query';
import { useRoute } from '../../hooks/use-route';
import { formatInteger } from '../../lib/format';
import { downloadText } from './download';
import { EMPTY_FILTERS, toHistoryQuery, type HistoryFilterState } from './filters';
import { HistoryDetailDialog } from './HistoryDetailDialog';
import { HistoryFilters } from './HistoryFilters';
import { HistoryTable } from './HistoryTable';
import { ColumnChooser } from './ColumnChooser';
import { visibleColumns } from './columns';
import { useColumnChoice } from './use-column-choice';
import { useHistoryPages } from './use-history-pages';
import { SessionList } from './SessionList';

export function HistoryPage() {
  const client = useControlClient();
  const [route, navigate] = useRoute();
  // #/history?client=name (a client's "history" link) starts filtered to that client.
  const [filters, setFilters] = useState<HistoryFilterState>(() => ({ ...EMPTY_FILTERS, client: route.query.client ?? '' }));
  const linkedClient = route.query.client;
  useEffect(() => {
    if (linkedClient !== undefined) setFilters((old) => (old.client === linkedClient ? old : { ...old, client: linkedClient }));
  }, [linkedClient]);
  const deferredFilters = useDeferredValue(filters);
  // The time range is anchored when the filters change, so the query key stays stable.
  const query = useMemo(() => toHistoryQuery(deferredFilters, Date.now()), [deferredFilters]);
  const history = useHistoryPages(query);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // The open request lives in the address (#/history/<id>): the tray can open one, and back closes it.
  const open = route.page === 'history' ? route.detail : null;
  const setOpen = useCallback((id: string | null) => navigate('history', id), [navigate]);
  const [exportError, setExportError] = useState<unknown>(null);
  // Grouped: one line per session (listSessions); choosing one shows its requests.
  const [grouped, setGrouped] = useState(false);
  const openSession = (session: string) => {
    setFilters((old) => ({ ...old, session }));
    setGrouped(false);
  };
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  const [columnChoice, toggleColumn] = useColumnChoice();
  const columns = visibleColumns(columnChoice, useMediaQuery(NARROW_WINDOW_QUERY));
  const recordBodies = useControlQuery('getSettings').data?.recordBodies;
  // With capture off there are no bodies to search: say so rather than a bare "0 results".
  const searchingWithoutBodies = deferredFilters.search.trim() !== '' && recordBodies === false;

  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const toggle = (id: string) => setSelected((old) => { const next = new Set(old); if (!next.delete(id)) next.add(id); return next; });
  const toggleAll = () => setSelected((old) => (history.rows.every((row) => old.has(row.id)) ? new Set() : new Set(history.rows.map((row) => row.id))));
  const exportSelection = async () => {
    setExportError(null);
    try {
      const details = await Promise.all([...selected].map((id) => client.invoke('getHistoryEntry', { id })));
      downloadText(`switchboard-history-${new Date().toISOString().slice(0, 19)}.json`, JSON.stringify(details.filter(Boolean), null, 2));
    } catch (error) {
      setExportError(error);
    }
  };
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="page-fill">
      <PageHeader title="History" description={`${formatInteger(history.total)} request${history.total === 1 ? '' : 's'}${filtered ? ' match' : ''}`}
        actions={<>
          <button type="button" className="button" aria-pressed={grouped} onClick={() => setGrouped((old) => !old)}>Group by session</button>
          <ColumnChooser visible={columns} onToggle={toggleColumn} />
          <button type="button" className="button" disabled={selected.size === 0} onClick={() => void exportSelection()}>Export selection{selected.size ? ` (${selected.size})` : ''} as JSON</button>
        </>} />
      <HistoryFilters value={filters} onChange={setFilters} />
      {searchingWithoutBodies ? (
        <p className="notice notice-warn" role="status">
          Body capture is off, so the search looks only at model names, clients and error messages — not at prompts or answers.
          Turn on <a href="#/settings">body capture in Settings</a> to search the bodies of requests from then on.
        </p>
      ) : null}
      <ErrorNotice error={history.error ?? exportError} />
      {grouped ? <SessionList onOpen={openSession} /> : history.isPending ? <Loading /> : history.rows.length === 0 ? (
        filtered ? (
          <EmptyState title={searchingWithoutBodies ? 'No model, client or error matches' : 'Nothing matches'}>
            {searchingWithoutBodies ? 'Request bodies were not searched: body capture is off.' : 'Loosen the filters or clear the search.'}
          </EmptyState>
        ) : (
          <EmptyState title="No requests recorded yet" action={<a className="button primary" href="#/connect">Connect a tool</a>}>
            Every request that goes through Switchboard is listed here, live, with its timing, tokens and the providers it tried.
          </EmptyState>
        )
      ) : (
        <HistoryTable rows={history.rows} columns={columns} total={history.total} selected={selected} onToggle={toggle} onToggleAll={toggleAll} onOpen={setOpen} onNearEnd={onNearEnd} />
      )}
      {open ? <HistoryDetailDialog id={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

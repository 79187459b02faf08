import type { ReactNode } from 'react';
import type { HistoryRow } from '../../../src-proxy/control/contract.ts';
import { StatusPill } from '../../components/StatusPill';
import { formatInteger, formatMs, formatTime, formatUsd } from '../../lib/format';

export interface HistoryColumn {
  id: string;
  label: string;
  /** CSS grid track. */
  track: string;
  /** Narrowest width the track gets (px), for the row's minimum width. */
  min: number;
  /** Hidden by default in a narrow window (the column chooser brings it back). */
  narrowDefault: boolean;
  /** Always shown (the chooser does not offer it). */
  fixed?: boolean;
  numeric?: boolean;
  cell(row: HistoryRow): ReactNode;
}

/** Requests Switchboard refused itself (no client token, a revoked one) have no provider to show. */
function routeCell(row: HistoryRow): ReactNode {
  return (
    <>
      {/* First, so the cell's ellipsis never hides what repeated or which command ran. */}
      {row.loop ? <span className="badge badge-loop badge-lead" title={`${row.loop.kind === 'text' ? 'Text' : 'Tool-call'} loop, ${row.loop.count}× (${row.loop.action}): ${row.loop.what}`}>loop ×{row.loop.count}: {row.loop.what}</span> : null}
      {row.commands?.length ? <span className="badge badge-lead" title={row.commands.join(' ')}>{row.commands.length === 1 ? row.commands[0] : `${row.commands.length} commands`}</span> : null}
      <span className="mono">{row.requestedModel ?? '–'}</span>
      {row.provider ? <span className="muted mono"> → {row.provider}/{row.upstreamModel}</span> : row.status === 401 || row.status === 403 ? <span className="muted"> · refused before routing</span> : null}
      {row.cache === 'hit' ? <span className="badge" title="Answered from the response cache: no provider call, nothing billed"> cached</span> : null}
    </>
  );
}

export const HISTORY_COLUMNS: HistoryColumn[] = [
  { id: 'time', label: 'Time', track: '112px', min: 96, narrowDefault: true, fixed: true, cell: (row) => <span className="mono">{formatTime(row.startedAt)}</span> },
  { id: 'client', label: 'Client', track: 'minmax(80px, 1fr)', min: 80, narrowDefault: true, cell: (row) => row.client },
  { id: 'dialect', label: 'Dialect', track: '72px', min: 72, narrowDefault: false, cell: (row) => <span className="muted">{row.dialect}</span> },
  { id: 'model', label: 'Model → provider/model', track: 'minmax(150px, 2.6fr)', min: 150, narrowDefault: true, fixed: true, cell: routeCell },
  { id: 'status', label: 'Status', track: '52px', min: 52, narrowDefault: true, fixed: true, cell: (row) => <StatusPill status={row.status} errorCode={row.errorCode} /> },
  { id: 'latency', label: 'Latency', track: '70px', min: 64, narrowDefault: true, numeric: true, cell: (row) => <span className="mono">{formatMs(row.durationMs)}</span> },
  { id: 'ttft', label: 'TTFT', track: '60px', min: 60, narrowDefault: false, numeric: true, cell: (row) => <span className="mono">{formatMs(row.ttftMs)}</span> },
  { id: 'tokens', label: 'Tokens in/out', track: '96px', min: 96, narrowDefault: false, numeric: true, cell: (row) => <span className="mono">{formatInteger(row.inputTokens)} / {formatInteger(row.outputTokens)}</span> },
  { id: 'cost', label: 'Cost', track: '70px', min: 64, narrowDefault: false, numeric: true, cell: (row) => <span className="mono" title="Estimated at the price table's prices; a cache hit costs nothing">{formatUsd(row.costUsd)}</span> },
];

const SELECT_TRACK = { track: '22px', min: 22 };
const GAP = 10;
const PADDING = 24;

/** The grid of the shown columns, and the width below which the table scrolls sideways. */
export function gridFor(columns: readonly HistoryColumn[]): { gridTemplateColumns: string; minWidth: number } {
  const tracks = [SELECT_TRACK, ...columns];
  return {
    gridTemplateColumns: tracks.map((column) => column.track).join(' '),
    minWidth: tracks.reduce((sum, column) => sum + column.min, 0) + GAP * (tracks.length - 1) + PADDING,
  };
}

/** Which columns show: the user's choice where made, else the default for the window width. */
export function visibleColumns(choice: Readonly<Record<string, boolean>>, narrow: boolean): HistoryColumn[] {
  return HISTORY_COLUMNS.filter((column) => column.fixed || (choice[column.id] ?? (narrow ? column.narrowDefault : true)));
}

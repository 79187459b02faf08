import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { HistoryRow } from '../../../src-proxy/control/contract.ts';
import { gridFor, type HistoryColumn } from './columns';

const ROW_HEIGHT = 36;

export interface HistoryTableProps {
  rows: HistoryRow[];
  columns: readonly HistoryColumn[];
  total: number;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  onOpen: (id: string) => void;
  onNearEnd: () => void;
}

/**
 * Only the visible rows are in the DOM (react-virtual), so 100k rows scroll like 100. Keyboard:
 * the table takes focus once; ↑/↓/Home/End move the active row, Enter opens it, Space selects.
 */
export function HistoryTable({ rows, columns, total, selected, onToggle, onToggleAll, onOpen, onNearEnd }: HistoryTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  // Below its minimum width the table scrolls sideways (the head follows) instead of dropping columns.
  const { gridTemplateColumns, minWidth } = gridFor(columns);
  const rowStyle = { gridTemplateColumns, minWidth };
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - 40) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd]);

  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + 15, PageUp: active - 15, Home: 0, End: rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, moves[event.key]!));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (event.key === 'Enter' && rows[active]) {
      onOpen(rows[active].id);
    } else if (event.key === ' ' && rows[active]) {
      event.preventDefault();
      onToggle(rows[active].id);
    }
  };

  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  return (
    <div className="history-table" role="grid" aria-rowcount={total + 1} aria-label="Request history">
      <div ref={head} className="history-head-wrap">
        <div className="history-row history-head" role="row" aria-rowindex={1} style={rowStyle}>
          <span role="columnheader"><input type="checkbox" aria-label="Select all loaded rows" checked={allSelected} onChange={onToggleAll} /></span>
          {columns.map((column) => <span key={column.id} role="columnheader" className={column.numeric ? 'num' : undefined}>{column.label}</span>)}
        </div>
      </div>
      <div ref={scroller} className="history-scroll" tabIndex={0} onKeyDown={onKeyDown}
        onScroll={(event) => { if (head.current) head.current.scrollLeft = event.currentTarget.scrollLeft; }}
        aria-activedescendant={rows[active] ? `history-row-${rows[active].id}` : undefined}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <div key={row.id} id={`history-row-${row.id}`} role="row" aria-rowindex={item.index + 2} aria-selected={selected.has(row.id)}
                className={`history-row ${item.index === active ? 'active' : ''} ${selected.has(row.id) ? 'selected' : ''} ${row.loop ? 'loop' : ''}`}
                style={{ ...rowStyle, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => { setActive(item.index); onOpen(row.id); }}>
                <span role="gridcell" onClick={(event) => event.stopPropagation()}>
                  <input type="checkbox" tabIndex={-1} aria-label={`Select request ${row.id}`} checked={selected.has(row.id)} onChange={() => onToggle(row.id)} />
                </span>
                {columns.map((column) => (
                  <span key={column.id} role="gridcell" className={column.numeric ? 'num' : column.id === 'client' || column.id === 'model' ? 'ellipsis' : undefined}>{column.cell(row)}</span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { HISTORY_COLUMNS, type HistoryColumn } from './columns';

/**
 * Shows or hides History's optional columns (Radix DropdownMenu: arrow keys, Escape, focus
 * return). Non-modal on purpose: the modal menu's scroll lock injects a <style> the CSP refuses.
 */
export function ColumnChooser({ visible, onToggle }: { visible: readonly HistoryColumn[]; onToggle: (id: string, shown: boolean) => void }) {
  const shown = new Set(visible.map((column) => column.id));
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="button">Columns</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">Show columns</DropdownMenu.Label>
          {HISTORY_COLUMNS.filter((column) => !column.fixed).map((column) => (
            <DropdownMenu.CheckboxItem key={column.id} className="menu-item" checked={shown.has(column.id)}
              onCheckedChange={(checked) => onToggle(column.id, checked)} onSelect={(event) => event.preventDefault()}>
              <span className="menu-check" aria-hidden="true">{shown.has(column.id) ? '✓' : ''}</span>
              {column.label}
            </DropdownMenu.CheckboxItem>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

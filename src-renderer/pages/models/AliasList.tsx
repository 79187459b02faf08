import type { AliasInfo } from '../../../src-proxy/control/contract.ts';
import { EmptyState } from '../../components/EmptyState';
import { Loading } from '../../components/Loading';

export function AliasList({ aliases, selected, onSelect, onCreate }: {
  aliases: AliasInfo[] | undefined;
  selected: string | null;
  onSelect: (alias: AliasInfo) => void;
  onCreate: () => void;
}) {
  if (!aliases) return <div className="panel"><Loading /></div>;
  if (aliases.length === 0) {
    return (
      <div className="panel">
        <EmptyState title="No aliases yet" action={<button type="button" className="button" onClick={onCreate}>New alias</button>}>
          An alias such as <code>gpt-4o</code> or <code>claude-*</code> maps what a tool asks for to one or more provider models.
          Without one, tools can still use <code>provider/model</code> names.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="panel alias-list">
      <ul role="listbox" aria-label="Aliases">
        {aliases.map((alias) => (
          <li key={alias.alias} role="option" aria-selected={alias.alias === selected}>
            <button type="button" className="alias-item" onClick={() => onSelect(alias)}>
              <span className="mono">{alias.alias}</span>
              <span className="muted small">
                {alias.targets.length} target{alias.targets.length === 1 ? '' : 's'}{alias.exposed ? '' : ' · hidden'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

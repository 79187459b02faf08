import { useState } from 'react';
import type { AliasInput } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useControlQuery } from '../../hooks/use-control';
import { AliasEditor } from './AliasEditor';
import { AliasList } from './AliasList';
import { ModelSearch } from './ModelSearch';
import { TryIt } from './TryIt';

const BLANK: AliasInput = { alias: '', targets: [], exposed: true, metadata: {} };

/** Aliases (left), the one being edited (right), discovered models and a "try it" box below. */
export function ModelsPage() {
  const aliases = useControlQuery('listAliases');
  const [draft, setDraft] = useState<{ key: string; input: AliasInput; isNew: boolean } | null>(null);
  const edit = (input: AliasInput, isNew: boolean) => setDraft({ key: `${input.alias}:${Date.now()}`, input, isNew });
  return (
    <>
      <PageHeader title="Models" description="Aliases are the model names your tools ask for; each one tries its targets in order."
        actions={<button type="button" className="button primary" onClick={() => edit(BLANK, true)}>New alias</button>} />
      <ErrorNotice error={aliases.error} />
      <div className="split">
        <AliasList aliases={aliases.data} selected={draft?.isNew ? null : draft?.input.alias ?? null}
          onSelect={(alias) => edit({ alias: alias.alias, targets: alias.targets, exposed: alias.exposed, metadata: alias.metadata, cache: alias.cache }, false)}
          onCreate={() => edit(BLANK, true)} />
        {draft ? (
          <AliasEditor key={draft.key} initial={draft.input} isNew={draft.isNew} onSaved={(input) => edit(input, false)} onDeleted={() => setDraft(null)} />
        ) : (
          <div className="panel muted center-text">Choose an alias to edit, or create one from a discovered model below.</div>
        )}
      </div>
      <ModelSearch onCreate={(providerId, model) => edit({ alias: model, targets: [{ provider: providerId, model }], exposed: true, metadata: {} }, true)} />
      <TryIt />
    </>
  );
}

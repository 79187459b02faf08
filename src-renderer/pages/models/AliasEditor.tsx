import { useState, type FormEvent } from 'react';
import type { AliasInput } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { Switch } from '../../components/Switch';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { CacheFields } from './CacheFields';
import { MetadataFields } from './MetadataFields';
import { TargetList } from './TargetList';

/** Edits one alias: name (wildcards allowed), exposed switch, ordered targets, metadata, response cache. */
export function AliasEditor({ initial, isNew, onSaved, onDeleted }: { initial: AliasInput; isNew: boolean; onSaved: (input: AliasInput) => void; onDeleted: () => void }) {
  const [draft, setDraft] = useState<AliasInput>(initial);
  const providers = useControlQuery('listProviders');
  const models = useControlQuery('listModels');
  const create = useControlMutation('createAlias');
  const update = useControlMutation('updateAlias');
  const remove = useControlMutation('deleteAlias');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = isNew
      ? await create.mutateAsync(draft)
      : await update.mutateAsync({ alias: initial.alias, ...(draft.alias !== initial.alias ? { newAlias: draft.alias } : {}), targets: draft.targets, exposed: draft.exposed, metadata: draft.metadata, cache: draft.cache ?? null });
    onSaved({ alias: saved.alias, targets: saved.targets, exposed: saved.exposed, metadata: saved.metadata, cache: saved.cache });
  };
  return (
    <form className="panel form alias-editor" onSubmit={(event) => void save(event).catch(() => undefined /* shown by ErrorNotice */)} aria-label="Alias editor">
      <div className="row-between">
        <Field label="Alias" hint={<>What tools ask for. A <code>*</code> matches any text, e.g. <code>claude-*</code>.</>}>
          {(id, hintId) => <input id={id} aria-describedby={hintId} className="mono" value={draft.alias} required onChange={(e) => setDraft({ ...draft, alias: e.target.value })} />}
        </Field>
        <Switch label="Exposed to clients" checked={draft.exposed ?? true} onChange={(exposed) => setDraft({ ...draft, exposed })} />
      </div>
      <TargetList targets={draft.targets} providers={providers.data ?? []} models={models.data ?? []} onChange={(targets) => setDraft({ ...draft, targets })} />
      <MetadataFields metadata={draft.metadata ?? {}} onChange={(metadata) => setDraft({ ...draft, metadata })} />
      <CacheFields cache={draft.cache ?? null} onChange={(cache) => setDraft({ ...draft, cache })} />
      <ErrorNotice error={create.error ?? update.error ?? remove.error} />
      <div className="form-actions">
        {isNew ? null : <ConfirmButton label="Delete alias" title={`Delete ${initial.alias}?`} actionLabel="Delete alias"
          description="Tools asking for this name get model_not_found from the next request on." onConfirm={() => remove.mutate({ alias: initial.alias }, { onSuccess: onDeleted })} />}
        <button type="submit" className="button primary" disabled={create.isPending || update.isPending || draft.targets.length === 0}>Save alias</button>
      </div>
    </form>
  );
}

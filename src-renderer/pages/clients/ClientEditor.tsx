import { useState, type FormEvent } from 'react';
import type { ClientInfo, ClientLimits } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { Sheet } from '../../components/Sheet';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';
import { fromDraft, fromLocalInput, toDraft, toLocalInput } from './limits-form';
import { LimitsFields } from './LimitsFields';
import { ModelPicker } from './ModelPicker';

/** Expiry, allowed models and limits of one client, saved together. */
export function ClientEditor({ client, onClose }: { client: ClientInfo; onClose: () => void }) {
  const aliases = useControlQuery('listAliases');
  const update = useControlMutation('updateClientToken');
  const [expires, setExpires] = useState(toLocalInput(client.expiresAt));
  const [models, setModels] = useState<string[] | null>(client.models);
  const [draft, setDraft] = useState(toDraft(client.limits));
  const [problem, setProblem] = useState<{ field: keyof ClientLimits | null; text: string } | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = fromDraft(draft);
    if ('problem' in parsed) {
      setProblem({ field: parsed.field, text: parsed.problem });
      return;
    }
    const expiresAt = fromLocalInput(expires);
    if (expires.trim() !== '' && expiresAt === null) {
      setProblem({ field: null, text: 'Expires: enter a date and time, or leave it empty for never' });
      return;
    }
    setProblem(null);
    update.mutate({ id: client.id, expiresAt, models, limits: parsed.limits }, { onSuccess: onClose });
  };
  return (
    <Sheet title={`Edit ${client.name}`} description="What this client may use and how much. Requests over a limit get a 429 that says which limit and when to retry." onClose={onClose} wide>
      <form className="form" onSubmit={submit}>
        <Field label="Expires" hint="Empty: never. After it, the token is refused with 401 client_token_expired.">
          {(id, hintId) => <input id={id} aria-describedby={hintId} type="datetime-local" value={expires} onChange={(event) => setExpires(event.target.value)} />}
        </Field>
        <ModelPicker value={models} aliases={(aliases.data ?? []).map((alias) => alias.alias)} onChange={setModels} />
        <h3>Limits</h3>
        <LimitsFields draft={draft} onChange={setDraft} problemField={problem?.field} />
        {problem ? <p className="field-error" role="alert">{problem.text}</p> : null}
        <ErrorNotice error={update.error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="button primary" disabled={update.isPending}>Save</button>
        </div>
      </form>
    </Sheet>
  );
}

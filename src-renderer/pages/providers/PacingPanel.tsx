import { useEffect, useState, type FormEvent } from 'react';
import type { ProviderInfo, ProviderPacingState } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlMutation } from '../../hooks/use-control';
import { describeLimits, fromDraft, toDraft } from '../clients/limits-form';
import { LimitsFields } from '../clients/LimitsFields';

const PACING_FIELDS = ['rpm', 'tpm', 'concurrency'] as const;
const PACING_HINTS = {
  rpm: 'Over it, requests wait in the queue instead of earning the provider’s 429.',
  tpm: 'Input + output; estimated at the start, corrected at the end.',
  concurrency: 'Calls in flight to this provider; streams count until they end.',
};

/**
 * A provider's pacing: the limits Switchboard keeps its own calls inside (the provider's own rate
 * limits), and the queue right now — calls in flight, calls waiting, the last minute's use.
 */
export function PacingPanel({ provider, state }: { provider: ProviderInfo; state: ProviderPacingState | undefined }) {
  const update = useControlMutation('updateProvider');
  const [draft, setDraft] = useState(toDraft(provider.limits));
  const [problem, setProblem] = useState<string | null>(null);
  const stored = JSON.stringify(provider.limits);
  useEffect(() => setDraft(toDraft(JSON.parse(stored))), [stored]);
  const paced = PACING_FIELDS.some((key) => provider.limits[key] !== undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = fromDraft(draft);
    if ('problem' in parsed) return setProblem(parsed.problem);
    setProblem(null);
    update.mutate({ id: provider.id, limits: parsed.limits });
  };
  return (
    <details className="pacing">
      <summary>
        Pacing: {paced ? describeLimits(provider.limits) : 'none'}
        {paced ? <span className="muted small"> · {describeQueue(state)}</span> : null}
      </summary>
      <p className="muted small">Keep Switchboard inside this provider’s own limits: over them, requests wait their turn (up to Settings → pacing wait), then fail with 429 pacing_timeout.</p>
      <form className="form" onSubmit={submit} aria-label={`Pacing limits of ${provider.name}`}>
        <LimitsFields draft={draft} onChange={setDraft} only={PACING_FIELDS} hints={PACING_HINTS} />
        {problem ? <p className="field-error" role="alert">{problem}</p> : null}
        <ErrorNotice error={update.error} />
        <div className="form-actions"><button type="submit" className="button" disabled={update.isPending}>Save pacing</button></div>
      </form>
    </details>
  );
}

/** "2 in flight, 3 waiting · 41 requests and 12,000 tokens in the last minute". */
export function describeQueue(state: ProviderPacingState | undefined): string {
  if (!state) return 'no calls yet';
  return `${state.active} in flight, ${state.waiting} waiting · ${state.requestsLastMinute} requests and ${state.tokensLastMinute.toLocaleString('en-US')} tokens in the last minute`;
}

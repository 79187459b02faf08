import { useEffect, useState, type FormEvent } from 'react';
import type { ClientsOverview } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { useControlMutation } from '../../hooks/use-control';
import { fromDraft, toDraft } from './limits-form';
import { LimitsFields } from './LimitsFields';
import { SpendBar } from './SpendBar';

/**
 * The tokenless Ollama lane: VS Code Copilot, JetBrains, Open WebUI and any request without a
 * client token count together as one client, with their own limits (Settings → ollamaLane).
 */
export function LaneCard({ lane }: { lane: ClientsOverview['lane'] }) {
  const save = useControlMutation('updateSettings');
  const [draft, setDraft] = useState(toDraft(lane.limits));
  const [problem, setProblem] = useState<string | null>(null);
  const stored = JSON.stringify(lane.limits);
  useEffect(() => setDraft(toDraft(JSON.parse(stored))), [stored]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = fromDraft(draft);
    if ('problem' in parsed) return setProblem(parsed.problem);
    setProblem(null);
    save.mutate({ ollamaLane: { limits: parsed.limits } });
  };
  return (
    <Panel title="Ollama lane (no token)">
      <p className="muted small">Requests without a client token — the Ollama routes, VS Code Copilot's keyless chat — count as this one client.</p>
      <div className="grid-2 tight">
        <SpendBar period="day" label="Today" totals={lane.usage.today} budgetUsd={lane.limits.dailyBudgetUsd} />
        <SpendBar period="month" label="This month" totals={lane.usage.thisMonth} budgetUsd={lane.limits.monthlyBudgetUsd} />
      </div>
      <form className="form" onSubmit={submit} aria-label="Ollama lane limits">
        <LimitsFields draft={draft} onChange={setDraft} />
        {problem ? <p className="field-error" role="alert">{problem}</p> : null}
        <ErrorNotice error={save.error} />
        <div className="form-actions"><button type="submit" className="button" disabled={save.isPending}>Save lane limits</button></div>
      </form>
    </Panel>
  );
}

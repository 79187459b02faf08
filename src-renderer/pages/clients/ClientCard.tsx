import type { ClientInfo, CreatedClientToken } from '../../../src-proxy/control/contract.ts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Switch } from '../../components/Switch';
import { useControlMutation } from '../../hooks/use-control';
import { routeHash } from '../../hooks/use-route';
import { formatInteger, formatRelative, formatTime } from '../../lib/format';
import { describeLimits } from './limits-form';
import { SpendBar } from './SpendBar';

/** Active, disabled or expired: what the token does right now. */
export function clientState(client: ClientInfo, now = Date.now()): { label: string; tone: 'ok' | 'warn' | 'bad' } {
  if (!client.enabled) return { label: 'Disabled', tone: 'warn' };
  if (client.expiresAt !== null && client.expiresAt <= now) return { label: 'Expired', tone: 'bad' };
  return { label: 'Active', tone: 'ok' };
}

/** One client: its token, switch, rules, spend against budgets, and the way to its history. */
export function ClientCard({ client, onEdit, onTokenShown }: { client: ClientInfo; onEdit: () => void; onTokenShown: (token: CreatedClientToken) => void }) {
  const update = useControlMutation('updateClientToken');
  const rotate = useControlMutation('rotateClientToken');
  const revoke = useControlMutation('revokeClientToken');
  const state = clientState(client);
  const { limits, usage } = client;
  const headingId = `client-${client.id}`;
  return (
    <article className="panel client" aria-labelledby={headingId}>
      <div className="panel-head">
        <div>
          <h2 id={headingId}>{client.name} <span className={`pill pill-${state.tone}`}>{state.label}</span></h2>
          <div className="muted small"><span className="mono">{client.hint}</span> · last used {formatRelative(client.lastUsedAt)}
            {client.expiresAt !== null ? <> · {client.expiresAt > Date.now() ? 'expires' : 'expired'} {formatTime(client.expiresAt)}</> : null}</div>
        </div>
        <div className="panel-actions">
          <Switch label={`${client.name} enabled`} hideLabel checked={client.enabled} onChange={(enabled) => update.mutate({ id: client.id, enabled })} />
          <button type="button" className="button small" onClick={onEdit} aria-label={`Edit ${client.name}`}>Edit</button>
          <ConfirmButton small label="Rotate" ariaLabel={`Rotate the token of ${client.name}`} title={`Rotate the token of ${client.name}?`} actionLabel="Rotate token"
            description="A new token replaces this one; tools still using the old one are refused from their next request. Limits, spend and history stay."
            onConfirm={() => rotate.mutate({ id: client.id }, { onSuccess: onTokenShown })} />
          <ConfirmButton small label="Revoke" ariaLabel={`Revoke ${client.name}`} title={`Revoke ${client.name}?`} actionLabel="Revoke token"
            description="Tools using this token are refused (401) from the next request on. This cannot be undone." onConfirm={() => revoke.mutate({ id: client.id })} />
        </div>
      </div>
      <ErrorNotice error={update.error ?? rotate.error ?? revoke.error} />
      <div className="grid-2 tight">
        <SpendBar period="day" label="Today" totals={usage.today} budgetUsd={limits.dailyBudgetUsd} />
        <SpendBar period="month" label="This month" totals={usage.thisMonth} budgetUsd={limits.monthlyBudgetUsd} />
      </div>
      <dl className="facts small">
        <div><dt>Models</dt><dd>{client.models === null ? 'All models' : client.models.length === 0 ? 'None' : client.models.join(', ')}</dd></div>
        <div><dt>Limits</dt><dd>{describeLimits(limits)}</dd></div>
        <div><dt>Requests</dt><dd>{formatInteger(usage.lifetime.requests)}{limits.maxRequests !== undefined ? ` of ${formatInteger(limits.maxRequests)} (lifetime cap)` : ' in all'}{usage.active > 0 ? ` · ${usage.active} running` : ''}</dd></div>
      </dl>
      <a className="small" href={routeHash('history', null, { client: client.name })}>History of {client.name} →</a>
    </article>
  );
}

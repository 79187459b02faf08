import type { AliasCache } from '../../../src-proxy/control/contract.ts';
import { Field } from '../../components/Field';
import { Switch } from '../../components/Switch';

const DEFAULT_TTL_SECONDS = 3600;

/**
 * The alias's response cache: off, or on with how long an answer is kept. Answers are replayed
 * to any client that asks the same question of this alias's targets. An empty or invalid TTL is
 * sent as typed and refused by the core, next to the save button.
 */
export function CacheFields({ cache, onChange }: { cache: AliasCache | null; onChange: (cache: AliasCache | null) => void }) {
  return (
    <fieldset className="alias-cache">
      <legend>Response cache</legend>
      <Switch label="Replay answers to repeated questions" checked={cache !== null} onChange={(on) => onChange(on ? { ttlSeconds: DEFAULT_TTL_SECONDS } : null)} />
      {cache ? (
        <Field label="Keep answers for (seconds)"
          hint={<>The same question (messages, tools and parameters) from any client is answered from the cache at no cost. A client can send <code>x-switchboard-cache: bypass</code> or <code>refresh</code>.</>}>
          {(id, hintId) => (
            <input id={id} aria-describedby={hintId} type="number" className="narrow" min={1} step={1} value={Number.isFinite(cache.ttlSeconds) ? cache.ttlSeconds : ''}
              onChange={(e) => onChange({ ttlSeconds: e.target.value === '' ? Number.NaN : Number(e.target.value) })} />
          )}
        </Field>
      ) : null}
    </fieldset>
  );
}

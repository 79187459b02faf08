import { useState } from 'react';

/**
 * Allowed models: "every model" or a list picked from the aliases, plus patterns and
 * provider/model addresses typed in (`claude-*`, `openrouter/*`). A `*` never opens the
 * provider/model addresses: those are allowed only when an entry with a `/` names them.
 */
export function ModelPicker({ value, aliases, onChange }: { value: string[] | null; aliases: string[]; onChange: (value: string[] | null) => void }) {
  const [typed, setTyped] = useState('');
  const chosen = value ?? [];
  const extras = chosen.filter((name) => !aliases.includes(name));
  const toggle = (name: string) => onChange(chosen.includes(name) ? chosen.filter((entry) => entry !== name) : [...chosen, name]);
  const add = () => {
    const name = typed.trim();
    if (name && !chosen.includes(name)) onChange([...chosen, name]);
    setTyped('');
  };
  return (
    <fieldset className="model-picker">
      <legend>Allowed models</legend>
      <label className="check-label"><input type="radio" name="models-mode" checked={value === null} onChange={() => onChange(null)} /> Every model</label>
      <label className="check-label"><input type="radio" name="models-mode" checked={value !== null} onChange={() => onChange(chosen)} /> Only these</label>
      {value !== null ? (
        <div className="model-choices">
          {aliases.length === 0 ? <p className="muted small">No aliases yet: type model names or patterns below.</p> : null}
          {aliases.map((alias) => (
            <label key={alias} className="check-label"><input type="checkbox" checked={chosen.includes(alias)} onChange={() => toggle(alias)} /> <span className="mono">{alias}</span></label>
          ))}
          {extras.length > 0 ? (
            <ul className="chips" aria-label="Other allowed names">
              {extras.map((name) => (
                <li key={name} className="chip"><span className="mono">{name}</span> <button type="button" className="button ghost small" aria-label={`Remove ${name}`} onClick={() => toggle(name)}>✕</button></li>
              ))}
            </ul>
          ) : null}
          <div className="inline-form">
            <input aria-label="Another model name or pattern" placeholder="gpt-4o, claude-*, openrouter/*" value={typed} onChange={(event) => setTyped(event.target.value)}
              onKeyDown={(event) => { if (event.key === 'Enter') { event.preventDefault(); add(); } }} />
            <button type="button" className="button small" onClick={add} disabled={typed.trim() === ''}>Add</button>
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}

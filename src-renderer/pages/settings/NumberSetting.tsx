import { useEffect, useState } from 'react';
import { Field } from '../../components/Field';

/**
 * A number saved when the field loses focus or Enter is pressed. `scale` converts the stored
 * unit (ms, bytes) to the one shown (s, MB).
 */
export function NumberSetting({ label, hint, unit, value, scale = 1, min, max, onCommit }: {
  label: string;
  hint?: string;
  unit?: string;
  value: number;
  scale?: number;
  min?: number;
  max?: number;
  onCommit: (value: number) => void;
}) {
  const shown = value / scale;
  const [text, setText] = useState(String(shown));
  useEffect(() => setText(String(shown)), [shown]);
  const commit = () => {
    const parsed = Number(text);
    if (text.trim() === '' || !Number.isFinite(parsed) || parsed === shown) return setText(String(shown));
    onCommit(Math.round(parsed * scale));
  };
  return (
    <Field label={unit ? `${label} (${unit})` : label} hint={hint}>
      {(id, hintId) => (
        <input id={id} aria-describedby={hintId} type="number" min={min} max={max} step="any" value={text} className="narrow"
          onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      )}
    </Field>
  );
}

import { useEffect, useId, useRef, useState } from 'react';

/**
 * A number saved when the field loses focus or Enter is pressed. `scale` converts the stored
 * unit (ms, bytes) to the one shown (s, MB). A value outside min/max is not sent: the field says
 * what it accepts, next to itself. `serverError` is the core's word on this field, if any.
 */
export function NumberSetting({ label, hint, unit, value, scale = 1, min, max, integer = false, autoFocus = false, serverError, onCommit }: {
  label: string;
  hint?: string;
  unit?: string;
  value: number;
  scale?: number;
  min?: number;
  max?: number;
  integer?: boolean;
  autoFocus?: boolean;
  serverError?: string | null;
  onCommit: (value: number) => void;
}) {
  const id = useId();
  const shown = value / scale;
  const [text, setText] = useState(String(shown));
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setText(String(shown)), [shown]);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  const commit = () => {
    const parsed = Number(text);
    const found = validate(text, parsed, { min, max, integer, unit });
    setProblem(found);
    if (found || parsed === shown) return;
    onCommit(Math.round(parsed * scale));
  };
  const message = problem ?? serverError ?? null;
  const describedBy = [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{unit ? `${label} (${unit})` : label}</label>
      <input ref={input} id={id} aria-describedby={describedBy} aria-invalid={message ? true : undefined} type="number" min={min} max={max}
        step={integer ? 1 : 'any'} value={text} className="narrow" onChange={(e) => setText(e.target.value)} onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()} />
      {message ? <div id={`${id}-error`} className="field-error" role="alert">{message}</div> : null}
      {hint ? <div id={`${id}-hint`} className="hint">{hint}</div> : null}
    </div>
  );
}

/** What is wrong with the typed value, in words for this field; null when it can be saved. */
export function validate(text: string, parsed: number, limits: { min?: number; max?: number; integer?: boolean; unit?: string }): string | null {
  const unit = limits.unit ? ` ${limits.unit}` : '';
  if (text.trim() === '' || !Number.isFinite(parsed)) return 'Enter a number.';
  if (limits.integer && !Number.isInteger(parsed)) return 'Enter a whole number.';
  if (limits.min !== undefined && parsed < limits.min) return `Enter at least ${limits.min}${unit}.`;
  if (limits.max !== undefined && parsed > limits.max) return `Enter at most ${limits.max}${unit}.`;
  return null;
}

import { useEffect, useId, useState } from 'react';

/** Names typed one per line or separated by commas; blanks and repeats dropped. */
export function parseFieldNames(text: string): string[] {
  return [...new Set(text.split(/[\n,]/).map((name) => name.trim()).filter((name) => name.length > 0))];
}

/**
 * The names captured bodies and headers never keep, beyond the built-in ones: header names and
 * JSON keys, saved when the box loses focus. `serverError` is the core's word on the list.
 */
export function RedactFieldsSetting({ value, serverError, onCommit }: { value: string[]; serverError?: string | null; onCommit: (names: string[]) => void }) {
  const id = useId();
  const shown = value.join('\n');
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const commit = () => {
    const names = parseFieldNames(text);
    if (names.join('\n') !== shown) onCommit(names);
  };
  return (
    <div className="field">
      <label htmlFor={id}>More names to redact</label>
      <textarea id={id} rows={3} value={text} spellCheck={false} aria-describedby={`${id}-hint${serverError ? ` ${id}-error` : ''}`}
        aria-invalid={serverError ? true : undefined} onChange={(e) => setText(e.target.value)} onBlur={commit} />
      {serverError ? <div id={`${id}-error`} className="field-error" role="alert">{serverError}</div> : null}
      <div id={`${id}-hint`} className="hint">
        Header names or JSON keys, one per line. Their values are replaced by [redacted] in captured requests, besides the built-in
        ones (authorization, api-key headers, api_key, password, secret, access_token and the like). Letter case and - or _ do not matter.
      </div>
    </div>
  );
}

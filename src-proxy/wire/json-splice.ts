/**
 * A forwarded body written as the client's own JSON text with only what changed spliced in (the
 * same-dialect fast path): re-serializing a 64 KB conversation to change its model name costs a
 * full JSON.stringify and a second copy of the conversation in memory, per request. The client's
 * text already is that JSON; only the top-level values that differ are rewritten.
 *
 * One pass over the top level of the object; nested values are skipped structurally, their
 * strings with indexOf (native), so a large prompt costs little. Anything unexpected (not an
 * object, a key written twice, a removed key) answers null and the caller stringifies as before.
 * Pure: table-tested (test/perf/json-splice.test.ts).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isSpace(text.charCodeAt(index))) index++;
  return index;
}

/** Index just past the quote closing a string whose contents start at `from`, or -1. */
function pastString(text: string, from: number): number {
  let search = from;
  for (;;) {
    const quote = text.indexOf('"', search);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let before = quote - 1; text.charCodeAt(before) === BACKSLASH; before--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    search = quote + 1;
  }
}

/** Index just past the JSON value starting at `from`, or -1. */
function pastValue(text: string, from: number): number {
  const first = text.charCodeAt(from);
  if (first === QUOTE) return pastString(text, from + 1);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    let depth = 0;
    for (let index = from; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        const end = pastString(text, index + 1);
        if (end === -1) return -1;
        index = end - 1;
      } else if (code === 0x7b || code === 0x5b) depth++;
      else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
        if (--depth === 0) return index + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let index = from;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x2c /* , */ || code === 0x7d || code === 0x5d || isSpace(code)) break;
    index++;
  }
  return index === from ? -1 : index;
}

interface TopLevel {
  /** Each key's value as [start, end) in the text. */
  spans: Map<string, [number, number]>;
  /** Where a key added last goes: just past the last value (or the opening brace). */
  end: number;
}

/** The top-level keys of a JSON object's text, or null (not an object, a repeated key, malformed). */
function topLevel(text: string): TopLevel | null {
  let index = skipSpace(text, 0);
  if (text.charCodeAt(index) !== 0x7b) return null;
  const spans = new Map<string, [number, number]>();
  index = skipSpace(text, index + 1);
  if (text.charCodeAt(index) === 0x7d) return skipSpace(text, index + 1) === text.length ? { spans, end: text.indexOf('{') + 1 } : null;
  for (;;) {
    if (text.charCodeAt(index) !== QUOTE) return null;
    const keyEnd = pastString(text, index + 1);
    if (keyEnd === -1) return null;
    const literal = text.slice(index, keyEnd);
    const key = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
    index = skipSpace(text, keyEnd);
    if (text.charCodeAt(index) !== 0x3a /* : */) return null;
    const start = skipSpace(text, index + 1);
    const end = pastValue(text, start);
    if (end === -1 || spans.has(key)) return null;
    spans.set(key, [start, end]);
    index = skipSpace(text, end);
    const code = text.charCodeAt(index);
    if (code === 0x2c) {
      index = skipSpace(text, index + 1);
      continue;
    }
    if (code !== 0x7d) return null;
    return skipSpace(text, index + 1) === text.length ? { spans, end } : null;
  }
}

/**
 * `changed` as JSON text built from `raw` (the text `original` was parsed from): top-level values
 * that differ from `original` (by identity) are replaced, keys `original` lacks are appended, the
 * rest of the text is kept byte for byte. Null when that is not possible (a key was removed, the
 * text is not a plain object, a key repeats): stringify instead.
 */
export function spliceJsonObject(raw: string, original: Record<string, unknown>, changed: Record<string, unknown>): string | null {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const added: string[] = [];
  let kept = 0;
  for (const key of Object.keys(changed)) {
    const value = changed[key];
    if (Object.hasOwn(original, key)) {
      // An undefined value drops its key from JSON: a removal, not spliced.
      if (value === undefined) return null;
      kept++;
      if (original[key] !== value) edits.push({ start: -1, end: -1, text: key });
    } else if (value !== undefined) added.push(key);
  }
  if (kept !== Object.keys(original).length) return null;
  if (edits.length === 0 && added.length === 0) return raw;
  const parsed = topLevel(raw);
  if (!parsed || parsed.spans.size !== kept) return null;
  for (const edit of edits) {
    const span = parsed.spans.get(edit.text);
    if (!span) return null;
    const value = changed[edit.text];
    edit.start = span[0];
    edit.end = span[1];
    edit.text = JSON.stringify(value);
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += raw.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  if (added.length === 0) return out + raw.slice(at);
  let tail = '';
  for (const key of added) tail += `${tail === '' && parsed.spans.size === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(changed[key])}`;
  return out + raw.slice(at, parsed.end) + tail + raw.slice(parsed.end);
}

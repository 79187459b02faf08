/**
 * A forwarded body written as the client's own JSON bytes with only what changed spliced in (the
 * same-dialect fast path): re-serializing a 64 KB conversation to change its model name costs a
 * full JSON.stringify, a second copy of the conversation on the JS heap and its UTF-8 encoding
 * for the socket, per request. The client's bytes already are that JSON; only the top-level
 * values that differ are rewritten, and the result is a Buffer (off the JS heap) the upstream
 * request writes as it is.
 *
 * One pass over the top level of the object; nested values are skipped structurally, their
 * strings with indexOf (native), so a large prompt costs little. Bytes, not characters: UTF-8
 * never uses a byte below 0x80 inside a multi-byte character, so quotes, backslashes and brackets
 * are found the same way. Anything unexpected (not an object, a key written twice, a removed key)
 * answers null and the caller stringifies as before.
 * Pure: table-tested (test/perf/json-splice.test.ts).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(bytes: Buffer, from: number): number {
  let index = from;
  while (index < bytes.length && isSpace(bytes[index])) index++;
  return index;
}

/** Index just past the quote closing a string whose contents start at `from`, or -1. */
function pastString(bytes: Buffer, from: number): number {
  let search = from;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, search);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let before = quote - 1; bytes[before] === BACKSLASH; before--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    search = quote + 1;
  }
}

/** Index just past the JSON value starting at `from`, or -1. */
function pastValue(bytes: Buffer, from: number): number {
  const first = bytes[from];
  if (first === QUOTE) return pastString(bytes, from + 1);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    let depth = 0;
    for (let index = from; index < bytes.length; index++) {
      const code = bytes[index];
      if (code === QUOTE) {
        const end = pastString(bytes, index + 1);
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
  while (index < bytes.length) {
    const code = bytes[index];
    if (code === 0x2c /* , */ || code === 0x7d || code === 0x5d || isSpace(code)) break;
    index++;
  }
  return index === from ? -1 : index;
}

interface TopLevel {
  /** Each key's value as [start, end) in the bytes. */
  spans: Map<string, [number, number]>;
  /** Where a key added last goes: just past the last value (or the opening brace). */
  end: number;
}

/** The top-level keys of a JSON object's bytes, or null (not an object, a repeated key, malformed). */
function topLevel(bytes: Buffer): TopLevel | null {
  let index = skipSpace(bytes, 0);
  if (bytes[index] !== 0x7b) return null;
  const open = index;
  const spans = new Map<string, [number, number]>();
  index = skipSpace(bytes, index + 1);
  if (bytes[index] === 0x7d) return skipSpace(bytes, index + 1) === bytes.length ? { spans, end: open + 1 } : null;
  for (;;) {
    if (bytes[index] !== QUOTE) return null;
    const keyEnd = pastString(bytes, index + 1);
    if (keyEnd === -1) return null;
    const literal = bytes.toString('utf8', index, keyEnd);
    const key = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
    index = skipSpace(bytes, keyEnd);
    if (bytes[index] !== 0x3a /* : */) return null;
    const start = skipSpace(bytes, index + 1);
    const end = pastValue(bytes, start);
    if (end === -1 || spans.has(key)) return null;
    spans.set(key, [start, end]);
    index = skipSpace(bytes, end);
    const code = bytes[index];
    if (code === 0x2c) {
      index = skipSpace(bytes, index + 1);
      continue;
    }
    if (code !== 0x7d) return null;
    return skipSpace(bytes, index + 1) === bytes.length ? { spans, end } : null;
  }
}

/**
 * `changed` as JSON bytes built from `raw` (the bytes `original` was parsed from): top-level
 * values that differ from `original` (by identity) are replaced, keys `original` lacks are
 * appended, the rest of the bytes are kept as they came. Null when that is not possible (a key
 * was removed, the bytes are not a plain object, a key repeats): stringify instead.
 */
export function spliceJsonObject(raw: Buffer, original: Record<string, unknown>, changed: Record<string, unknown>): Buffer | null {
  const edits: Array<{ start: number; end: number; key: string }> = [];
  const added: string[] = [];
  let kept = 0;
  for (const key of Object.keys(changed)) {
    const value = changed[key];
    if (Object.hasOwn(original, key)) {
      // An undefined value drops its key from JSON: a removal, not spliced.
      if (value === undefined) return null;
      kept++;
      if (original[key] !== value) edits.push({ start: -1, end: -1, key });
    } else if (value !== undefined) added.push(key);
  }
  if (kept !== Object.keys(original).length) return null;
  if (edits.length === 0 && added.length === 0) return raw;
  const parsed = topLevel(raw);
  if (!parsed || parsed.spans.size !== kept) return null;
  for (const edit of edits) {
    const span = parsed.spans.get(edit.key);
    if (!span) return null;
    edit.start = span[0];
    edit.end = span[1];
  }
  edits.sort((a, b) => a.start - b.start);
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(raw.subarray(at, edit.start), Buffer.from(JSON.stringify(changed[edit.key])));
    at = edit.end;
  }
  if (added.length > 0) {
    let tail = '';
    for (const key of added) tail += `${tail === '' && parsed.spans.size === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(changed[key])}`;
    parts.push(raw.subarray(at, parsed.end), Buffer.from(tail));
    at = parsed.end;
  }
  parts.push(raw.subarray(at));
  return Buffer.concat(parts);
}

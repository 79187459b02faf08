/**
 * A forwarded body written as the client's own JSON bytes with only what changed spliced in (the
 * same-dialect fast path): re-serializing a 64 KB conversation to change its model name costs a
 * full JSON.stringify, a second copy of the conversation on the JS heap and its UTF-8 encoding
 * for the socket, per request. The client's bytes already are that JSON; only the top-level
 * values that differ are rewritten, and the result is a Buffer (off the JS heap) the upstream
 * request writes as it is.
 *
 * One pass over the top level of the object; nested values are skipped structurally, a string's
 * first bytes by a loop here and a longer one's rest with indexOf (native), so a large prompt
 * costs little and a small body makes no native call per string (each Buffer#indexOf or
 * toString is a call into C++ of ~0.2 µs, and a small chat body has a dozen strings). Only the
 * keys that change are read by name, compared in place; the others are counted (a key written
 * twice makes more keys than the parsed object has). The result is written into one buffer.
 * Bytes, not characters: UTF-8 never uses a byte below 0x80 inside a multi-byte character, so
 * quotes, backslashes and brackets are found the same way. Anything unexpected (not an object, a
 * key written twice, a removed key) answers null and the caller stringifies as before.
 * Pure: table-tested (test/perf/json-splice.test.ts).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/**
 * A string's first bytes read by a loop here before the native search takes over (past them a call
 * costs less than the loop), in a body up to SMALL_BODY bytes. A larger body is a conversation
 * whose strings are long: there every string is searched natively from its start, as the loop
 * made a 64 KB body ~20 % slower (12.4 -> 14.8 µs in process) and a small one ~25 % faster.
 */
const LOOP_BYTES = 24;
const SMALL_BODY = 4096;
/** Segments up to this many bytes are copied by a loop here, longer ones by a native copy. */
const COPY_LOOP_BYTES = 128;

function isSpace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(bytes: Buffer, from: number): number {
  let index = from;
  while (index < bytes.length && isSpace(bytes[index])) index++;
  return index;
}

/** Whether the quote at `quote` is escaped (an odd number of backslashes before it). */
function escaped(bytes: Buffer, quote: number): boolean {
  let backslashes = 0;
  for (let before = quote - 1; bytes[before] === BACKSLASH; before--) backslashes++;
  return backslashes % 2 === 1;
}

/** Index just past the quote closing a string whose contents start at `from`, or -1. */
function pastString(bytes: Buffer, from: number): number {
  const loopEnd = bytes.length > SMALL_BODY ? from : Math.min(bytes.length, from + LOOP_BYTES);
  let search = from;
  for (; search < loopEnd; search++) {
    if (bytes[search] === QUOTE && !escaped(bytes, search)) return search + 1;
  }
  for (;;) {
    const quote = bytes.indexOf(QUOTE, search);
    if (quote === -1) return -1;
    if (!escaped(bytes, quote)) return quote + 1;
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

/** A key that changes: its name, its name's UTF-8 bytes, and where its value is in the bytes. */
interface Edit {
  key: string;
  name: Buffer | null;
  start: number;
  end: number;
}

/** Whether the unescaped key text in bytes[start, end) is `edit`'s key. */
function isKey(bytes: Buffer, start: number, end: number, edit: Edit): boolean {
  const { key } = edit;
  let name = edit.name;
  if (name === null) {
    // An ASCII name compares character by character (no buffer for it).
    if (end - start !== key.length) return false;
    for (let index = 0; index < key.length; index++) if (bytes[start + index] !== key.charCodeAt(index)) return false;
    return true;
  }
  if (end - start !== name.length) return false;
  for (let index = 0; index < name.length; index++) if (bytes[start + index] !== name[index]) return false;
  return true;
}

function hasBackslash(bytes: Buffer, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (bytes[index] === BACKSLASH) return true;
  return false;
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}

/**
 * Reads the top level of a JSON object's bytes: sets each edit's value span, and answers where a
 * key added last goes (just past the last value, or the opening brace) and how many keys there
 * are, or null (not an object, malformed).
 */
function topLevel(bytes: Buffer, edits: Edit[]): { end: number; keys: number } | null {
  let index = skipSpace(bytes, 0);
  if (bytes[index] !== 0x7b) return null;
  const open = index;
  index = skipSpace(bytes, index + 1);
  if (bytes[index] === 0x7d) return skipSpace(bytes, index + 1) === bytes.length ? { end: open + 1, keys: 0 } : null;
  let keys = 0;
  for (;;) {
    if (bytes[index] !== QUOTE) return null;
    const keyEnd = pastString(bytes, index + 1);
    if (keyEnd === -1) return null;
    const colon = skipSpace(bytes, keyEnd);
    if (bytes[colon] !== 0x3a /* : */) return null;
    const start = skipSpace(bytes, colon + 1);
    const end = pastValue(bytes, start);
    if (end === -1) return null;
    keys++;
    if (edits.length > 0) {
      // A key written with escapes is read as JSON reads it; the others are compared as they are.
      const decoded = hasBackslash(bytes, index + 1, keyEnd - 1) ? (JSON.parse(bytes.toString('utf8', index, keyEnd)) as string) : null;
      for (const edit of edits) {
        if (decoded === null ? isKey(bytes, index + 1, keyEnd - 1, edit) : decoded === edit.key) {
          // Written twice: which one to rewrite is ambiguous.
          if (edit.start !== -1) return null;
          edit.start = start;
          edit.end = end;
        }
      }
    }
    index = skipSpace(bytes, end);
    const code = bytes[index];
    if (code === 0x2c) {
      index = skipSpace(bytes, index + 1);
      continue;
    }
    if (code !== 0x7d) return null;
    return skipSpace(bytes, index + 1) === bytes.length ? { end, keys } : null;
  }
}

/** Copies bytes[from, to) into `out` at `at`; answers the index past them. */
function copyInto(out: Buffer, at: number, bytes: Buffer, from: number, to: number): number {
  if (to - from > COPY_LOOP_BYTES) return at + bytes.copy(out, at, from, to);
  for (let index = from; index < to; index++) out[at++] = bytes[index]!;
  return at;
}

/** Writes `text` (whose UTF-8 length is `length`) into `out` at `at`; answers the index past it. */
function writeInto(out: Buffer, at: number, text: string, length: number): number {
  if (length !== text.length) return at + out.write(text, at, length, 'utf8');
  for (let index = 0; index < text.length; index++) out[at++] = text.charCodeAt(index);
  return at;
}

/** UTF-8 length of `text` (its length when ASCII, which a loop here tells without a native call). */
function utf8Length(text: string): number {
  return isAscii(text) ? text.length : Buffer.byteLength(text, 'utf8');
}

/**
 * `changed` as JSON bytes built from `raw` (the bytes `original` was parsed from): top-level
 * values that differ from `original` (by identity) are replaced, keys `original` lacks are
 * appended, the rest of the bytes are kept as they came. Null when that is not possible (a key
 * was removed, the bytes are not a plain object, a key repeats): stringify instead.
 */
export function spliceJsonObject(raw: Buffer, original: Record<string, unknown>, changed: Record<string, unknown>): Buffer | null {
  const edits: Edit[] = [];
  const added: string[] = [];
  let kept = 0;
  for (const key of Object.keys(changed)) {
    const value = changed[key];
    if (Object.hasOwn(original, key)) {
      // An undefined value drops its key from JSON: a removal, not spliced.
      if (value === undefined) return null;
      kept++;
      if (original[key] !== value) edits.push({ key, name: isAscii(key) ? null : Buffer.from(key), start: -1, end: -1 });
    } else if (value !== undefined) added.push(key);
  }
  if (kept !== Object.keys(original).length) return null;
  if (edits.length === 0 && added.length === 0) return raw;
  const parsed = topLevel(raw, edits);
  // As many keys as the parsed object has: none written twice (JSON.parse keeps the last of them).
  if (!parsed || parsed.keys !== kept) return null;
  for (const edit of edits) if (edit.start === -1) return null;
  if (edits.length > 1) edits.sort((a, b) => a.start - b.start);
  // What goes in: each edit's value, then the added keys; their sizes make the result's.
  const texts: string[] = [];
  const lengths: number[] = [];
  let size = raw.length;
  for (const edit of edits) {
    const text = JSON.stringify(changed[edit.key]);
    const length = utf8Length(text);
    texts.push(text);
    lengths.push(length);
    size += length - (edit.end - edit.start);
  }
  let tail = '';
  for (const key of added) tail += `${tail === '' && parsed.keys === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(changed[key])}`;
  const tailLength = utf8Length(tail);
  size += tailLength;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  let from = 0;
  for (let index = 0; index < edits.length; index++) {
    const edit = edits[index]!;
    at = copyInto(out, at, raw, from, edit.start);
    at = writeInto(out, at, texts[index]!, lengths[index]!);
    from = edit.end;
  }
  if (added.length > 0) {
    at = copyInto(out, at, raw, from, parsed.end);
    at = writeInto(out, at, tail, tailLength);
    from = parsed.end;
  }
  copyInto(out, at, raw, from, raw.length);
  return out;
}

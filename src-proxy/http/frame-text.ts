/**
 * The answer text in a streamed frame's bytes, read without parsing the frame: the JSON string
 * after each occurrence of a key (`"content":`), as each dialect's fast-path tap names it. Loop
 * detection on the same-dialect fast path reads text this way; frames without the key cost one
 * byte search.
 */

/** The JSON string values that follow `key` (e.g. `"content":`) in the frame, joined. */
export function stringsAfter(frame: Buffer, key: Buffer, from = 0): string {
  let text = '';
  const skip = skipTable(key);
  let at = search(frame, key, skip, from);
  while (at !== -1) {
    let start = at + key.length;
    while (frame[start] === 0x20) start++;
    const end = frame[start] === 0x22 ? closingQuote(frame, start + 1) : -1;
    if (end === -1) {
      at = search(frame, key, skip, start);
      continue;
    }
    // A literal without escapes is its own text (most deltas): decoded straight from the bytes.
    text += escaped ? readString(frame.toString('utf8', start, end + 1)) : frame.toString('utf8', start + 1, end);
    at = search(frame, key, skip, end + 1);
  }
  return text;
}

/** Whether the last string closingQuote walked held a backslash. */
let escaped = false;

/** The index of the quote that closes a JSON string whose text starts at `from`, or -1. */
function closingQuote(frame: Buffer, from: number): number {
  escaped = false;
  for (let i = from; i < frame.length; i++) {
    const byte = frame[i];
    if (byte === 0x5c) {
      escaped = true;
      i++;
    } else if (byte === 0x22) return i;
  }
  return -1;
}

/** Horspool skip tables by key: the keys are each tap's constants, so this holds a handful. */
const skips = new Map<Buffer, Uint8Array>();

/** How far the search may move on when the byte under the key's last byte is `b` (the key's length when the key lacks it). */
function skipTable(key: Buffer): Uint8Array {
  let skip = skips.get(key);
  if (!skip) {
    skip = new Uint8Array(256).fill(Math.min(key.length, 255));
    for (let k = 0; k < key.length - 1; k++) skip[key[k]!] = Math.min(key.length - 1 - k, 255);
    if (skips.size >= 64) skips.clear();
    skips.set(key, skip);
  }
  return skip;
}

/**
 * `frame.indexOf(key, from)` as a Horspool search in JS: a key of ten bytes is compared at every
 * few bytes of the frame instead of each, and a native Buffer#indexOf(Buffer) costs ~0.2 µs per
 * call on a frame of a few hundred bytes — the most of reading a delta's text (measured alone).
 */
function search(frame: Buffer, key: Buffer, skip: Uint8Array, from: number): number {
  const last = key.length - 1;
  const lastByte = key[last];
  for (let i = from + last; i < frame.length; i += skip[frame[i]!]!) {
    if (frame[i] !== lastByte) continue;
    let j = 1;
    while (j <= last && frame[i - j] === key[last - j]) j++;
    if (j > last) return i - last;
  }
  return -1;
}

function readString(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    // A malformed escape in the upstream's bytes: its raw text still counts toward a loop.
    return literal.slice(1, -1);
  }
}

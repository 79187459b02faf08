/**
 * The answer text in a streamed frame's bytes, read without parsing the frame: the JSON string
 * after each occurrence of a key (`"content":`), as each dialect's fast-path tap names it. Loop
 * detection on the same-dialect fast path reads text this way; frames without the key cost one
 * byte search.
 */

/** The JSON string values that follow `key` (e.g. `"content":`) in the frame, joined. */
export function stringsAfter(frame: Buffer, key: Buffer, from = 0): string {
  let text = '';
  let at = frame.indexOf(key, from);
  while (at !== -1) {
    let start = at + key.length;
    while (frame[start] === 0x20) start++;
    const end = frame[start] === 0x22 ? closingQuote(frame, start + 1) : -1;
    if (end === -1) {
      at = frame.indexOf(key, start);
      continue;
    }
    // A literal without escapes is its own text (most deltas): decoded straight from the bytes.
    text += escaped ? readString(frame.toString('utf8', start, end + 1)) : frame.toString('utf8', start + 1, end);
    at = indexOfKey(frame, key, end + 1);
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

/**
 * `frame.indexOf(key, from)`, compared here for a short rest: after a delta's string only its
 * frame's closing bytes are left, and a native search costs more to call than to run on them.
 */
function indexOfKey(frame: Buffer, key: Buffer, from: number): number {
  const last = frame.length - key.length;
  if (last - from > 64) return frame.indexOf(key, from);
  const first = key[0];
  outer: for (let i = from; i <= last; i++) {
    if (frame[i] !== first) continue;
    for (let j = 1; j < key.length; j++) if (frame[i + j] !== key[j]) continue outer;
    return i;
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

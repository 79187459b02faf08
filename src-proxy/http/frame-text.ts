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
    text += readString(frame.toString('utf8', start, end + 1));
    at = frame.indexOf(key, end + 1);
  }
  return text;
}

/** The index of the quote that closes a JSON string whose text starts at `from`, or -1. */
function closingQuote(frame: Buffer, from: number): number {
  for (let i = from; i < frame.length; i++) {
    const byte = frame[i];
    if (byte === 0x5c) i++;
    else if (byte === 0x22) return i;
  }
  return -1;
}

function readString(literal: string): string {
  // A literal without escapes is its own text (most deltas); only escapes need JSON's reading.
  if (literal.indexOf('\\') === -1) return literal.slice(1, -1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    // A malformed escape in the upstream's bytes: its raw text still counts toward a loop.
    return literal.slice(1, -1);
  }
}

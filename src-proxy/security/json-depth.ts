/**
 * How deeply a JSON text nests, checked before it is parsed. V8's JSON.parse copes with any
 * depth, but everything after it that walks a value recursively — JSON.stringify of a captured or
 * forwarded body, schema conversions, the SDK-shaped renderers — overflows the stack somewhere
 * past a few thousand levels, which a client would see as a 500. No real request nests anywhere
 * near MAX_JSON_DEPTH (tool schemas, the deepest part of any dialect, stay within a few dozen).
 *
 * One pass over the text; string contents are skipped with indexOf (native, fast), so a large
 * prompt costs little. Pure: table-tested.
 */
export const MAX_JSON_DEPTH = 128;

/** True when the text opens more than `limit` arrays/objects inside one another. */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 /* " */) {
      index = endOfString(text, index + 1);
      if (index === -1) return false; // unterminated: JSON.parse reports it
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote closing a string whose contents start at `from`, or -1. */
function endOfString(text: string, from: number): number {
  let search = from;
  for (;;) {
    const quote = text.indexOf('"', search);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let before = quote - 1; text.charCodeAt(before) === 0x5c /* \ */; before--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    search = quote + 1;
  }
}

/**
 * Reads the text of an upstream stream's text-delta frames without parsing their JSON. A streamed
 * answer is mostly frames that differ only in their text ("data: {…,"delta":{"content":"…"}…}"):
 * once one such frame was parsed, its bytes before and after the text are the template, and a
 * later frame with exactly those bytes around one JSON string token carries that text and nothing
 * else — only the string token is parsed. Anything else (another shape, a changing field such as
 * a per-chunk usage count or obfuscation padding, escapes written differently) misses and is
 * parsed whole as before, so the canonical events are the same either way.
 */

/** Frames parsed whole before the stream gives up looking for a template. */
const LEARN_ATTEMPTS = 4;

/** A character no upstream text holds, put in the template's slot to check that it is the text. */
const PROBE = '\u0001';

/** True when the characters inside the token's quotes need no unescaping (no quote, backslash or control character). */
function plain(token: string): boolean {
  for (let i = 1; i < token.length - 1; i++) {
    const code = token.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

export class TextTemplate {
  private prefix = '';
  private suffix = '';
  private learning = LEARN_ATTEMPTS;

  constructor(
    /** The text when the parsed event is a text delta and nothing else (its events depend only on the text); else undefined. */
    private readonly textOnly: (json: Record<string, unknown>) => string | undefined,
  ) {}

  /** The text of a frame that matches the template, else undefined (parse it whole). */
  match(frame: string): string | undefined {
    const { prefix, suffix } = this;
    const end = frame.length - suffix.length;
    if (prefix === '' || end <= prefix.length + 1) return undefined;
    // Equality of slices, not startsWith/endsWith: on Node 20 startsWith compares a 150-character
    // prefix about six times slower, and it ran on every frame.
    if (frame.charCodeAt(prefix.length) !== 0x22 || frame.slice(0, prefix.length) !== prefix || frame.slice(end) !== suffix) return undefined;
    const token = frame.slice(prefix.length, end);
    // A token with no escape, quote or control character inside its quotes is its own text.
    if (token.charCodeAt(token.length - 1) === 0x22 && plain(token)) return token.slice(1, -1);
    try {
      // Exactly one JSON string token between the two (JSON.parse refuses anything more).
      const text: unknown = JSON.parse(token);
      return typeof text === 'string' ? text : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Learns the template from a frame parsed whole (`data` its JSON text, `json` the parsed value),
   * when it is a text delta whose string token can be found and is confirmed as the text's slot.
   */
  learn(frame: string, data: string, json: Record<string, unknown>): void {
    if (this.learning === 0) return;
    const text = this.textOnly(json);
    if (text === undefined) return;
    this.learning--;
    const token = JSON.stringify(text);
    const at = data.lastIndexOf(token);
    const dataAt = frame.lastIndexOf(data);
    if (at === -1 || dataAt === -1) return;
    // The same document with the probe in the slot must read as a text delta of the probe.
    let probe: unknown;
    try {
      probe = JSON.parse(`${data.slice(0, at)}${JSON.stringify(PROBE)}${data.slice(at + token.length)}`);
    } catch {
      return;
    }
    if (typeof probe !== 'object' || probe === null || this.textOnly(probe as Record<string, unknown>) !== PROBE) return;
    this.prefix = frame.slice(0, dataAt + at);
    this.suffix = frame.slice(dataAt + at + token.length);
    this.learning = 0;
  }
}

/**
 * Reads the text of an upstream stream's text-delta frames without parsing their JSON. A streamed
 * answer is mostly frames that differ only in their text ("data: {…,"delta":{"content":"…"}…}"):
 * once one such frame was parsed, its bytes before and after the text are the template, and a
 * later frame with exactly those bytes around one JSON string token carries that text and nothing
 * else — only the string token is parsed. Anything else (another shape, a changing field such as
 * a per-chunk usage count or obfuscation padding, escapes written differently) misses and is
 * parsed whole as before, so the canonical events are the same either way.
 *
 * A stream whose text frames also carry an object that changes every time (Gemini repeats its
 * running `usageMetadata` on every chunk) can name that field as a side slot: the template then
 * has two slots, the text's string token and, after it, that field's object, which alone is
 * parsed and handed to the converter. The learned bytes keep whatever spacing the upstream writes
 * (Google's servers write `"key": value` pairs joined by a bare comma, and CRLF between events).
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

/** The text inside a JSON string token, or undefined when the slice is not exactly one string token. */
function readToken(token: string): string | undefined {
  // A token with no escape, quote or control character inside its quotes is its own text.
  if (token.charCodeAt(token.length - 1) === 0x22 && plain(token)) return token.slice(1, -1);
  try {
    // Exactly one JSON string token (JSON.parse refuses anything more).
    const text: unknown = JSON.parse(token);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Index just past the object or array that opens at `from`, or -1 (the text is JSON that parsed). */
function valueEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      for (i++; i < text.length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === 0x5c) i++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x7b || code === 0x5b) depth++;
    else if ((code === 0x7d || code === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Where the object value of the last `"key":` in `data` starts and ends, or null. */
function objectSlot(data: string, key: string): { keyAt: number; start: number; end: number } | null {
  const quoted = JSON.stringify(key);
  const keyAt = data.lastIndexOf(quoted);
  if (keyAt === -1) return null;
  let at = keyAt + quoted.length;
  while (at < data.length && data.charCodeAt(at) <= 0x20) at++;
  if (data.charCodeAt(at) !== 0x3a) return null;
  at++;
  while (at < data.length && data.charCodeAt(at) <= 0x20) at++;
  if (data.charCodeAt(at) !== 0x7b) return null;
  const end = valueEnd(data, at);
  return end === -1 ? null : { keyAt, start: at, end };
}

/** A top-level field whose object value a text delta may carry beside its text, read from a second slot. */
export interface TextSideField {
  readonly key: string;
  /** Takes the field's value from a matched frame, as the converter would have from the whole chunk. */
  take(value: Record<string, unknown>): void;
}

export class TextTemplate {
  private prefix = '';
  /** With a side slot: the bytes between the text's token and the side field's object. */
  private middle = '';
  private suffix = '';
  private sided = false;
  private learning = LEARN_ATTEMPTS;

  constructor(
    /**
     * The text when the parsed event is a text delta and nothing else (its events depend only on
     * the text, and on the side field only through `side.take`); else undefined.
     */
    private readonly textOnly: (json: Record<string, unknown>) => string | undefined,
    private readonly side?: TextSideField,
  ) {}

  /** The text of a frame that matches the template, else undefined (parse it whole). */
  match(frame: string): string | undefined {
    if (this.sided) return this.matchSided(frame);
    const { prefix, suffix } = this;
    const end = frame.length - suffix.length;
    if (prefix === '' || end <= prefix.length + 1) return undefined;
    // Equality of slices, not startsWith/endsWith: on Node 20 startsWith compares a 150-character
    // prefix about six times slower, and it ran on every frame.
    if (frame.charCodeAt(prefix.length) !== 0x22 || frame.slice(0, prefix.length) !== prefix || frame.slice(end) !== suffix) return undefined;
    return readToken(frame.slice(prefix.length, end));
  }

  /** prefix, the text's token, middle, the side object, suffix: the object is parsed and taken. */
  private matchSided(frame: string): string | undefined {
    const { prefix, middle, suffix } = this;
    const start = prefix.length;
    const end = frame.length - suffix.length;
    if (end <= start + middle.length + 3 || frame.charCodeAt(start) !== 0x22 || frame.slice(0, start) !== prefix || frame.slice(end) !== suffix) return undefined;
    // The middle holds the side field's quoted key, which no string token can hold unescaped, so
    // its first place after the token's opening quote ends the token (or the frame is another shape
    // and the token or the object below fails to read).
    const at = frame.indexOf(middle, start + 2);
    const objectAt = at + middle.length;
    if (at === -1 || objectAt >= end || frame.charCodeAt(objectAt) !== 0x7b || frame.charCodeAt(end - 1) !== 0x7d) return undefined;
    const text = readToken(frame.slice(start, at));
    if (text === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(frame.slice(objectAt, end));
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    this.side!.take(value as Record<string, unknown>);
    return text;
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
    if (this.side && json[this.side.key] !== undefined) {
      this.learnSided(frame, data, json, text, this.side.key);
      return;
    }
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

  /** learn() for a text delta that carries the side field: the text's token must come before its object. */
  private learnSided(frame: string, data: string, json: Record<string, unknown>, text: string, key: string): void {
    const value = json[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const slot = objectSlot(data, key);
    const dataAt = frame.lastIndexOf(data);
    if (slot === null || dataAt === -1) return;
    const token = JSON.stringify(text);
    const at = data.lastIndexOf(token, slot.keyAt - token.length);
    if (at === -1 || at + token.length > slot.keyAt) return;
    // The same document with probes in both slots must read as a text delta of the probe text
    // whose side field is the probe object.
    let probe: Record<string, unknown>;
    try {
      probe = JSON.parse(`${data.slice(0, at)}${JSON.stringify(PROBE)}${data.slice(at + token.length, slot.start)}${JSON.stringify({ [PROBE]: 1 })}${data.slice(slot.end)}`) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof probe !== 'object' || probe === null || this.textOnly(probe) !== PROBE) return;
    const sideProbe = probe[key] as Record<string, unknown> | null | undefined;
    if (typeof sideProbe !== 'object' || sideProbe === null || sideProbe[PROBE] !== 1) return;
    this.prefix = frame.slice(0, dataAt + at);
    this.middle = data.slice(at + token.length, slot.start);
    this.suffix = frame.slice(dataAt + slot.end);
    this.sided = true;
    this.learning = 0;
  }
}

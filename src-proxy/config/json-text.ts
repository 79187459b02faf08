/**
 * JSON text → value, plus the line and column where every value starts, so a config error can
 * point into the file ("providers[0].baseUrl at line 4, column 18") and a syntax error names its
 * line and column (Node 20's JSON.parse gives only an offset, and quotes the text around it,
 * which may be a key). Scalars are decoded by JSON.parse on their own token, so escapes and
 * numbers follow the standard exactly; the scanner only finds structure and positions.
 */
import { formatIssuePath } from '../domain/validation.ts';

export interface TextPosition {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units like editors count */
  column: number;
}

export class JsonSyntaxError extends Error {
  readonly position: TextPosition;
  constructor(message: string, position: TextPosition) {
    super(`${message} at line ${position.line}, column ${position.column}`);
    this.name = 'JsonSyntaxError';
    this.position = position;
  }
}

export interface ParsedJsonText {
  value: unknown;
  /** Start of each value by its formatted path (`(root)`, `providers[0].id`, …). */
  positions: Map<string, TextPosition>;
}

const MAX_DEPTH = 64;

export function parseJsonText(text: string): ParsedJsonText {
  const positions = new Map<string, TextPosition>();
  let index = 0;

  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);

  function positionAt(offset: number): TextPosition {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  }

  const fail = (message: string, offset = index): never => {
    throw new JsonSyntaxError(message, positionAt(offset));
  };

  function skipSpace(): void {
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === 32 || code === 9 || code === 10 || code === 13) index += 1;
      else break;
    }
  }

  function readString(): string {
    const start = index;
    index += 1;
    while (index < text.length) {
      const char = text[index];
      if (char === '"') {
        index += 1;
        try {
          return JSON.parse(text.slice(start, index)) as string;
        } catch {
          return fail('invalid escape or control character in a string', start);
        }
      }
      index += char === '\\' ? 2 : 1;
    }
    return fail('a string is not closed (missing ")', start);
  }

  function readValue(path: PropertyKey[], depth: number): unknown {
    skipSpace();
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    positions.set(formatIssuePath(path), positionAt(index));
    const char = text[index];
    if (char === '{') return readObject(path, depth);
    if (char === '[') return readArray(path, depth);
    if (char === '"') return readString();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(index, index + 400));
    if (!literal) return fail(index >= text.length ? 'unexpected end of the text' : 'expected a value (string, number, object, array, true, false or null)');
    index += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  }

  function readObject(path: PropertyKey[], depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    index += 1;
    skipSpace();
    if (text[index] === '}') {
      index += 1;
      return result;
    }
    for (;;) {
      skipSpace();
      if (text[index] !== '"') fail('expected a property name in double quotes');
      const key = readString();
      skipSpace();
      if (text[index] !== ':') fail("expected ':' after a property name");
      index += 1;
      Object.defineProperty(result, key, { value: readValue([...path, key], depth + 1), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[index] === ',') {
        index += 1;
        continue;
      }
      if (text[index] === '}') {
        index += 1;
        return result;
      }
      fail("expected ',' or '}' after a property value");
    }
  }

  function readArray(path: PropertyKey[], depth: number): unknown[] {
    const result: unknown[] = [];
    index += 1;
    skipSpace();
    if (text[index] === ']') {
      index += 1;
      return result;
    }
    for (;;) {
      result.push(readValue([...path, result.length], depth + 1));
      skipSpace();
      if (text[index] === ',') {
        index += 1;
        continue;
      }
      if (text[index] === ']') {
        index += 1;
        return result;
      }
      fail("expected ',' or ']' after an array item");
    }
  }

  // A byte-order mark is what some Windows editors write first; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) index = 1;
  const value = readValue([], 0);
  skipSpace();
  if (index < text.length) fail('unexpected text after the end of the JSON value');
  return { value, positions };
}

/** The position of a path, or of its nearest ancestor that has one (a missing field's object). */
export function locatePath(positions: Map<string, TextPosition>, path: ReadonlyArray<PropertyKey>): TextPosition | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const found = positions.get(formatIssuePath(path.slice(0, length)));
    if (found) return found;
  }
  return undefined;
}

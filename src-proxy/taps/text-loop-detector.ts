/**
 * Finds a text loop while an answer streams: the same passage (minLength–maxLength characters,
 * whitespace not counted) back to back `repetitions` times at the end of the text so far.
 *
 * O(1) per character, memory bounded by maxLength × repetitions: a rolling hash of the last
 * `minLength` characters indexes a small table of where each window last ended. A window seen
 * again `minLength`–`maxLength` characters back gives the candidate period; from then on one
 * comparison per character extends or ends the run. Text whose copy is closer than `minLength`
 * (rules, "0, 0, 0", a table's separator, the rows of a matrix) never starts a run, and a run
 * whose unit is itself a shorter repeat is not a loop — so ordinary code, tables and lists pass.
 */

export interface TextLoopOptions {
  minLength: number;
  maxLength: number;
  repetitions: number;
}

export interface TextLoop {
  /** The repeated passage (whitespace removed, as compared). */
  unit: string;
  /** Copies of it back to back so far. */
  count: number;
  /** Where in the pushed text the loop completed: text.slice(0, end) ends with its last copy. */
  end: number;
}

export interface TextLoopDetector {
  /** Feeds a text delta; returns the loop once it reaches `repetitions` copies (then keeps returning null). */
  push(text: string): TextLoop | null;
  /** The answer is over: its tables go back to the pool (push finds nothing after this). */
  release(): void;
}

const BASE = 0x01000193;

/** The smallest power of two at least `n`. */
function powerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

interface Tables {
  chars: Uint16Array;
  /** Where each window last ended, as `base` + position: an entry below `base` is a past answer's. */
  lastEnd: Int32Array;
  base: number;
}

/**
 * Tables of finished answers, by size, for the next answer: every translated stream runs a
 * detector, and with the default settings its two tables are 24 KB of typed-array memory, which
 * allocated per stream made a large share of the stream path's garbage collection. Bounded: a
 * burst of concurrent streams allocates, and only POOLED tables per size are kept afterwards.
 */
const POOLED = 64;
const EMPTY_CHARS = new Uint16Array(0);
const EMPTY_ENDS = new Int32Array(0);
const pool = new Map<number, Tables[]>();
/** Past a billion positions the table is cleared once and its positions start again at 1. */
const MAX_BASE = 2 ** 30;

/** Pool key: both sizes are powers of two below 2^20. */
const keyOf = (charSize: number, tableSize: number) => charSize * 2 ** 20 + tableSize;

function takeTables(charSize: number, tableSize: number): Tables {
  // Reused tables need no clearing: only positions written in this answer are ever read, and a
  // past answer's window ends sit below the table's new base (a 16 KB fill per answer before).
  return pool.get(keyOf(charSize, tableSize))?.pop() ?? { chars: new Uint16Array(charSize), lastEnd: new Int32Array(tableSize), base: 1 };
}

/** `length`: positions this answer used; the next answer's start above them. */
function giveBack(tables: Tables, length: number): void {
  tables.base += length + 1;
  if (tables.base > MAX_BASE) {
    tables.lastEnd.fill(0);
    tables.base = 1;
  }
  const key = keyOf(tables.chars.length, tables.lastEnd.length);
  let free = pool.get(key);
  if (!free) pool.set(key, (free = []));
  if (free.length < POOLED) free.push(tables);
}

export function createTextLoopDetector(options: TextLoopOptions): TextLoopDetector {
  const { minLength: window, maxLength: maxPeriod, repetitions } = options;
  // Characters kept: the longest run compared plus the window. Both tables index by mask.
  const charMask = powerOfTwo(maxPeriod * repetitions + window + 1) - 1;
  // Direct-mapped: a collision overwrites (the window compare below rejects false matches); a
  // lost entry only delays a finding by a few characters.
  const tableMask = powerOfTwo(maxPeriod * 8) - 1;
  // Taken at the first character: an answer with no text (tool calls only) takes none.
  let tables: Tables | null = null;
  let chars: Uint16Array = EMPTY_CHARS;
  let lastEnd: Int32Array = EMPTY_ENDS;
  let base = 0;
  let released = false;
  // BASE^(window-1) mod 2^32: takes the character leaving the window out of the hash.
  let drop = 1;
  for (let i = 1; i < window; i++) drop = Math.imul(drop, BASE);
  let length = 0;
  let hash = 0;
  let period = 0;
  let run = 0;
  let rejected = 0;
  let found = false;

  function sameWindow(end: number, earlier: number): boolean {
    for (let i = 0; i < window; i++) if (chars[(end - i) & charMask] !== chars[(earlier - i) & charMask]) return false;
    return true;
  }

  function unitEndingAt(end: number, size: number): string {
    let text = '';
    for (let i = end - size + 1; i <= end; i++) text += String.fromCharCode(chars[i & charMask]!);
    return text;
  }

  return {
    push(text) {
      if (found || released) return null;
      if (!tables) {
        tables = takeTables(charMask + 1, tableMask + 1);
        chars = tables.chars;
        lastEnd = tables.lastEnd;
        base = tables.base;
      }
      // The per-character step works on locals, written back once per delta: every character of
      // every translated answer passes here, and closure variables cost a context load and store each.
      const table = chars;
      const ends = lastEnd;
      const origin = base;
      let position = length;
      let h = hash;
      let p = period;
      let r = run;
      let skip = rejected;
      let loop: TextLoop | null = null;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        // Whitespace does not count: a loop re-wrapped or re-indented is the same loop.
        if (code === 32 || code === 10 || code === 9 || code === 13) continue;
        const at = position++;
        table[at & charMask] = code;
        if (at >= window) h = (h - Math.imul(table[(at - window) & charMask]!, drop)) | 0;
        h = (Math.imul(h, BASE) + code) | 0;
        if (p > 0) {
          if (table[(at - p) & charMask] === code) r++;
          else p = r = skip = 0;
        }
        if (at + 1 < window) continue;
        const slot = (h ^ (h >>> 15)) & tableMask;
        if (p === 0) {
          const earlier = ends[slot]! - origin;
          const distance = at - earlier;
          if (earlier >= 0 && distance >= window && distance <= maxPeriod && sameWindow(at, earlier)) {
            p = distance;
            r = window;
          }
        }
        ends[slot] = at + origin;
        if (p === 0 || p === skip || r < (repetitions - 1) * p) continue;
        const unit = unitEndingAt(at, p);
        if (smallestPeriod(unit) < window) {
          skip = p;
          continue;
        }
        found = true;
        loop = { unit, count: Math.floor(r / p) + 1, end: i + 1 };
        break;
      }
      length = position;
      hash = h;
      period = p;
      run = r;
      rejected = skip;
      return loop;
    },
    release() {
      if (released) return;
      released = true;
      if (tables) giveBack(tables, length);
      tables = null;
      chars = EMPTY_CHARS;
      lastEnd = EMPTY_ENDS;
    },
  };
}

/** The shortest p such that the text is copies of its first p characters (KMP failure function). */
function smallestPeriod(text: string): number {
  const fail = new Int32Array(text.length);
  for (let i = 1, k = 0; i < text.length; i++) {
    while (k > 0 && text[i] !== text[k]) k = fail[k - 1]!;
    if (text[i] === text[k]) k++;
    fail[i] = k;
  }
  const p = text.length - (fail[text.length - 1] ?? 0);
  return text.length % p === 0 ? p : text.length;
}

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
  lastEnd: Int32Array;
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
const pool = new Map<string, Tables[]>();

function takeTables(charSize: number, tableSize: number): Tables {
  const free = pool.get(`${charSize}/${tableSize}`)?.pop();
  // Reused characters need no clearing: only positions written in this answer are ever read.
  if (free) return { chars: free.chars, lastEnd: free.lastEnd.fill(-1) };
  return { chars: new Uint16Array(charSize), lastEnd: new Int32Array(tableSize).fill(-1) };
}

function giveBack(tables: Tables): void {
  const key = `${tables.chars.length}/${tables.lastEnd.length}`;
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

  /** One non-whitespace character; the loop when this character completes one. */
  function step(code: number): Omit<TextLoop, 'end'> | null {
    const position = length++;
    chars[position & charMask] = code;
    if (position >= window) hash = (hash - Math.imul(chars[(position - window) & charMask]!, drop)) | 0;
    hash = (Math.imul(hash, BASE) + code) | 0;
    if (period > 0) {
      if (chars[(position - period) & charMask] === code) run++;
      else period = run = rejected = 0;
    }
    if (position + 1 < window) return null;
    const slot = (hash ^ (hash >>> 15)) & tableMask;
    if (period === 0) {
      const earlier = lastEnd[slot]!;
      const distance = position - earlier;
      if (earlier >= 0 && distance >= window && distance <= maxPeriod && sameWindow(position, earlier)) {
        period = distance;
        run = window;
      }
    }
    lastEnd[slot] = position;
    if (period === 0 || period === rejected || run < (repetitions - 1) * period) return null;
    const unit = unitEndingAt(position, period);
    if (smallestPeriod(unit) < window) {
      rejected = period;
      return null;
    }
    found = true;
    return { unit, count: Math.floor(run / period) + 1 };
  }

  return {
    push(text) {
      if (found || released) return null;
      if (!tables) {
        tables = takeTables(charMask + 1, tableMask + 1);
        chars = tables.chars;
        lastEnd = tables.lastEnd;
      }
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        // Whitespace does not count: a loop re-wrapped or re-indented is the same loop.
        if (code === 32 || code === 10 || code === 9 || code === 13) continue;
        const loop = step(code);
        if (loop) return { ...loop, end: i + 1 };
      }
      return null;
    },
    release() {
      if (released) return;
      released = true;
      if (tables) giveBack(tables);
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

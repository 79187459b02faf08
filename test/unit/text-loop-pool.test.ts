// @vitest-environment node
/**
 * The loop detector's tables are pooled between answers (taps/text-loop-detector.ts): a detector
 * on reused tables — full of an earlier answer's characters and positions — must find exactly
 * what one on fresh tables finds, and a released detector finds nothing more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTextLoopDetector, type TextLoop, type TextLoopOptions } from '../../src-proxy/taps/text-loop-detector.ts';

const CORPUS_DIR = join(import.meta.dirname, '../fixtures/loop-corpus');
const SENTENCE = 'I will now check the configuration file again to make sure it is right. ';
const TEXTS = [
  `Let me look at this. ${SENTENCE.repeat(8)}`,
  ...readdirSync(CORPUS_DIR).map((name) => readFileSync(join(CORPUS_DIR, name), 'utf8')),
  `${'A different passage that repeats itself several times over. '.repeat(7)}`,
  SENTENCE.repeat(2),
];

/** Each text through its own detector, released after; the loops found (with where). */
function run(options: TextLoopOptions): Array<{ loop: TextLoop | null; at: number }> {
  return TEXTS.map((text) => {
    const detector = createTextLoopDetector(options);
    let found: { loop: TextLoop | null; at: number } = { loop: null, at: text.length };
    for (let i = 0; i < text.length; i += 23) {
      const loop = detector.push(text.slice(i, i + 23));
      if (loop) {
        found = { loop, at: i };
        break;
      }
    }
    detector.release();
    return found;
  });
}

describe('pooled loop-detector tables', () => {
  it('a detector on an earlier answer\'s tables finds what a fresh one finds', () => {
    // Sizes no other test uses: the first run allocates fresh tables, the next ones reuse them.
    const options = { minLength: 41, maxLength: 333, repetitions: 3 };
    const fresh = run(options);
    expect(fresh.filter((r) => r.loop).length).toBeGreaterThanOrEqual(2);
    expect(run(options)).toEqual(fresh);
    expect(run(options)).toEqual(fresh);
  });

  it('finds nothing once released, and releasing twice gives the tables back once', () => {
    const options = { minLength: 43, maxLength: 337, repetitions: 3 };
    const detector = createTextLoopDetector(options);
    detector.push('warm up ');
    detector.release();
    detector.release();
    expect(detector.push(SENTENCE.repeat(6))).toBeNull();
    // Two live detectors never share tables: both find their own loop.
    const a = createTextLoopDetector(options);
    const b = createTextLoopDetector(options);
    const textA = SENTENCE.repeat(4);
    const textB = 'Another sentence that the model keeps on saying again. '.repeat(4);
    let foundA: TextLoop | null = null;
    let foundB: TextLoop | null = null;
    // Interleaved in small deltas: tables shared by mistake would mix the two texts.
    for (let i = 0; i < Math.max(textA.length, textB.length); i += 5) {
      foundA ??= a.push(textA.slice(i, i + 5));
      foundB ??= b.push(textB.slice(i, i + 5));
    }
    expect(foundA?.unit).toBe(SENTENCE.replace(/ /g, ''));
    expect(foundB?.unit).toBe('Another sentence that the model keeps on saying again. '.replace(/ /g, ''));
  });
});

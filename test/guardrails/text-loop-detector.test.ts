// @vitest-environment node
/**
 * The text loop detector on its own: loops are found (in small deltas, re-wrapped, at the
 * boundaries of the pattern length), and a corpus of ordinary code, tables, lists, logs and prose
 * — fed in deltas of every size — never is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_DETECTION } from '../../src-proxy/domain/guardrails.ts';
import { createTextLoopDetector, type TextLoop } from '../../src-proxy/taps/text-loop-detector.ts';

const OPTIONS = { minLength: DEFAULT_LOOP_DETECTION.minPatternLength, maxLength: DEFAULT_LOOP_DETECTION.maxPatternLength, repetitions: DEFAULT_LOOP_DETECTION.minRepetitions };
const CORPUS_DIR = join(import.meta.dirname, '../fixtures/loop-corpus');

/** Feeds `text` in deltas of `size` characters; the first loop found and how many characters it took. */
function feed(text: string, size: number, options = OPTIONS): { loop: TextLoop | null; at: number } {
  const detector = createTextLoopDetector(options);
  for (let i = 0; i < text.length; i += size) {
    const loop = detector.push(text.slice(i, i + size));
    if (loop) return { loop, at: Math.min(i + size, text.length) };
  }
  return { loop: null, at: text.length };
}

const SENTENCE = 'I will now check the configuration file again to make sure it is right. ';

describe('text loops are found', () => {
  it('a sentence repeated, in deltas of any size, once the fourth copy is complete', () => {
    const text = `Let me look at this. ${SENTENCE.repeat(10)}`;
    for (const size of [1, 3, 7, 16, 64, 1000]) {
      const { loop, at } = feed(text, size);
      expect(loop, `deltas of ${size}`).not.toBeNull();
      expect(loop!.count).toBe(4);
      expect(loop!.unit.length).toBe(SENTENCE.replace(/\s/g, '').length);
      // Found within the delta that completed the fourth copy.
      expect(at).toBeLessThanOrEqual(20 + SENTENCE.length * 4 + size);
    }
  });

  it('whatever the whitespace: the same passage re-wrapped and re-indented is the same loop', () => {
    const copies = [SENTENCE, SENTENCE.replace(/ /g, '  '), SENTENCE.replace(/ to /g, '\nto '), `\t${SENTENCE}`, SENTENCE];
    expect(feed(copies.join('\n'), 5).loop?.count).toBe(4);
  });

  it('a long paragraph (near the 500-character bound) repeated', () => {
    const paragraph = Array.from({ length: 12 }, (_, i) => `step ${i} of the plan reads the file;`).join(' ');
    expect(paragraph.replace(/\s/g, '').length).toBeLessThanOrEqual(500);
    expect(feed(paragraph.repeat(5), 11).loop).not.toBeNull();
  });

  it('a numbered list item repeated word for word', () => {
    const item = '- Run the tests again to see whether the failure in the parser is still there.\n';
    expect(feed(`Plan:\n${item.repeat(6)}`, 9).loop?.count).toBe(4);
  });

  it('not below four copies, not for passages shorter than 50 or longer than 500 characters', () => {
    expect(feed(SENTENCE.repeat(3), 4).loop).toBeNull();
    expect(feed('Checking the file now. '.repeat(20), 4).loop).toBeNull();
    const long = Array.from({ length: 30 }, (_, i) => `line ${i} of a long passage.`).join(' ');
    expect(long.replace(/\s/g, '').length).toBeGreaterThan(500);
    expect(feed(long.repeat(5), 50).loop).toBeNull();
  });

  it('says where in the delta the loop completed (a whole answer arrives as one delta)', () => {
    const text = `Hmm, ${SENTENCE.repeat(10)}`;
    const loop = createTextLoopDetector(OPTIONS).push(text)!;
    expect(text.slice(0, loop.end)).toBe(`Hmm, ${SENTENCE.repeat(4).trimEnd()}`);
  });

  it('reports once, then stays quiet', () => {
    const detector = createTextLoopDetector(OPTIONS);
    expect(detector.push(SENTENCE.repeat(4))).not.toBeNull();
    expect(detector.push(SENTENCE.repeat(4))).toBeNull();
  });
});

describe('no false positive on ordinary text', () => {
  const files = readdirSync(CORPUS_DIR).filter((name) => name.endsWith('.txt'));
  it('has a corpus of code, tables, lists, logs and prose', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of files) {
    it(`${name.replace(/\.txt$/, '')}: no loop in deltas of 1, 5, 37 or all at once`, () => {
      const text = readFileSync(join(CORPUS_DIR, name), 'utf8');
      for (const size of [1, 5, 37, text.length]) expect(feed(text, size).loop, `deltas of ${size}`).toBeNull();
    });
  }
  it('the whole corpus in one answer, twice over (a repeated file is far longer than 500 characters)', () => {
    const all = files.map((name) => readFileSync(join(CORPUS_DIR, name), 'utf8')).join('\n');
    expect(feed(all + all, 13).loop).toBeNull();
  });
});

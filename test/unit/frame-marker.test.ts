// @vitest-environment node
/**
 * The fast-path taps look for their markers (`data: [DONE]`, `"usage":{`, `{"error"`) with a
 * one-byte search and a compare (http/frame-marker.ts) and read a delta's text from the bytes
 * after its key (http/frame-text.ts): both must answer exactly what a substring search and a
 * JSON parse answer, on frames where the marker's byte occurs often, at the edges, split, or not at all.
 */
import { describe, expect, it } from 'vitest';
import { frameMarker, holds, holdsLine } from '../../src-proxy/http/frame-marker.ts';
import { stringsAfter } from '../../src-proxy/http/frame-text.ts';

const MARKERS = [frameMarker('data: [DONE]', '['), frameMarker('"usage":{', '{'), frameMarker('{"error"', '{')];
const head = '{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi [x] {y}"},"finish_reason":null}]';
const FRAMES = [
  'data: [DONE]\n\n',
  'data: [DONE]',
  'data:[DONE]\n\n',
  'data: [DONE\n\n',
  `data: ${head},"usage":null}\n\n`,
  `data: ${head},"usage":{"prompt_tokens":1}}\n\n`,
  `data: ${head},"usage": {"prompt_tokens":1}}\n\n`,
  'data: {"error":{"message":"overloaded"}}\n\n',
  'data: { "error":{"message":"overloaded"}}\n\n',
  '{"error"',
  '"usage":{',
  '"usage":',
  'data: {"content":"the text says data: [DONE] and {\\"error\\"}"}\n\n',
  '[[[[{{{{',
  '',
  'data: [[DONE]]{{"error"}"usage":{{',
];

describe('frame markers', () => {
  it('holdsLine finds the marker only as a whole line: a stream\'s own [DONE], not the words inside a text', () => {
    const done = MARKERS[0]!;
    const lineRule = /(^|\n)data: \[DONE\](\r|\n|$)/;
    for (const text of [...FRAMES, 'event: end\ndata: [DONE]\r\n\r\n', 'data: [DONE]x\n\n', ' data: [DONE]\n\n', 'data: {"content":"data: [DONE]"}\n\ndata: [DONE]\n\n']) {
      expect([text, holdsLine(Buffer.from(text), done)]).toEqual([text, lineRule.test(text)]);
    }
    expect(holdsLine(Buffer.from('data: {"content":"the text says data: [DONE] and more"}\n\n'), done)).toBe(false);
    expect(holdsLine(Buffer.from('data: [DONE]\n\n'), done)).toBe(true);
  });

  it('holds answers what a substring search answers', () => {
    for (const text of FRAMES) {
      const frame = Buffer.from(text);
      for (const marker of MARKERS) expect([text, holds(frame, marker)]).toEqual([text, frame.indexOf(marker.bytes) !== -1]);
    }
  });

  it('finds a marker in a view of a larger buffer, and not in the bytes around the view', () => {
    const whole = Buffer.from('data: [DONE]\n\ndata: {"x":1}\n\n');
    const second = whole.subarray(14);
    expect(holds(whole.subarray(0, 14), MARKERS[0]!)).toBe(true);
    expect(holds(second, MARKERS[0]!)).toBe(false);
    expect(holds(whole.subarray(0, 11), MARKERS[0]!)).toBe(false);
  });

  it('refuses a pivot that is not one byte of the marker', () => {
    expect(() => frameMarker('"usage":{', '[')).toThrow();
    expect(() => frameMarker('"usage":{', 'us')).toThrow();
  });
});

describe('a delta\'s text from its bytes', () => {
  const key = Buffer.from('"content":');
  it('reads plain, escaped, non-ASCII and repeated strings as JSON.parse does', () => {
    const frame = (content: unknown, more = '') => Buffer.from(`data: {"delta":{"content":${JSON.stringify(content)}}${more}}\n\n`);
    for (const text of ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'é ü 漢字 🙂', 'a "quoted" 🙂 \u0001']) {
      expect(stringsAfter(frame(text), key)).toBe(text);
    }
    expect(stringsAfter(frame('one', ',"x":{"content": "two"}'), key)).toBe('onetwo');
    expect(stringsAfter(Buffer.from('{"content":null,"content":"after"}'), key)).toBe('after');
    expect(stringsAfter(Buffer.from('{"content":"never closed'), key)).toBe('');
  });

  it('finds a key near the end of a long frame and past a long string', () => {
    const long = 'x'.repeat(300);
    const frame = Buffer.from(`{"content":"${long}","pad":"${'y'.repeat(30)}","content":"end"}`);
    expect(stringsAfter(frame, key)).toBe(`${long}end`);
    expect(stringsAfter(Buffer.from(`{"content":"a"${' '.repeat(100)},"content":"b"}`), key)).toBe('ab');
    expect(stringsAfter(Buffer.from('{"content":"a","conten'), key)).toBe('a');
  });

  it('finds every key a substring search finds: random frames over the key\'s own bytes, keys with repeated bytes, views of larger buffers', () => {
    // The old reading (Buffer#indexOf for each key) as the reference the byte search must match.
    const reference = (frame: Buffer, wanted: Buffer): string => {
      let text = '';
      let at = frame.indexOf(wanted);
      while (at !== -1) {
        const start = at + wanted.length;
        const end = frame[start] === 0x22 ? frame.indexOf(0x22, start + 1) : -1;
        if (end === -1) {
          at = frame.indexOf(wanted, start);
          continue;
        }
        text += frame.toString('utf8', start + 1, end);
        at = frame.indexOf(wanted, end + 1);
      }
      return text;
    };
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (const wanted of ['"content":', '"text":', 'aab', 'abab:', 'x', '"delta":"']) {
      const keyBytes = Buffer.from(wanted);
      const alphabet = `${wanted}ab"`;
      for (let round = 0; round < 400; round++) {
        let text = '';
        const length = random(60);
        for (let i = 0; i < length; i++) text += random(4) === 0 ? wanted : alphabet[random(alphabet.length)];
        const padded = Buffer.from(`${wanted}${text}"`);
        const frame = padded.subarray(wanted.length, padded.length - 1);
        expect([wanted, text, stringsAfter(frame, keyBytes)]).toEqual([wanted, text, reference(frame, keyBytes)]);
      }
    }
  });
});

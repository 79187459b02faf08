// @vitest-environment node
/**
 * `withFields(source, fields)` (wire/with-fields.ts) stands in for `{ ...source, key: value }` on
 * the per-request paths: on Node 20's V8 the literal makes a new hidden class (Map), in old space,
 * on every evaluation once the code around it is optimized; Object.assign onto a fresh object
 * keeps one. It must give exactly what the spread gives (keys in the same order, so the same JSON
 * on the wire), and its results must share one hidden class in optimized code.
 */
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Usage } from '../../src-proxy/canonical/types.ts';
import { mergeUsage } from '../../src-proxy/canonical/usage.ts';
import { withFields } from '../../src-proxy/wire/with-fields.ts';

v8.setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag is set, so the natives parse.
const natives = new Function(`return {
  sameMap: (a, b) => %HaveSameMap(a, b),
  prepare: (f) => %PrepareFunctionForOptimization(f),
  optimizeNext: (f) => %OptimizeFunctionOnNextCall(f),
};`)() as { sameMap(a: object, b: object): boolean; prepare(f: unknown): void; optimizeNext(f: unknown): void };

describe('withFields gives what the spread gives', () => {
  const cases: Array<[string, () => object, Record<string, unknown>]> = [
    ['a new key goes last', () => ({ model: 'a', messages: [] }), { stream_options: { include_usage: true } }],
    ['a key the source has keeps its place and takes the new value', () => ({ model: 'a', stream: true, messages: [] }), { model: 'b' }],
    ['several fields, some new', () => ({ id: 'r', object: 'response', status: 'in_progress' }), { status: 'completed', output: [], usage: null }],
    ['an undefined value is kept as a key', () => ({ type: 'reasoning', encrypted_content: 'x' }), { encrypted_content: undefined }],
    ['parsed JSON', () => JSON.parse('{"b":1,"a":{"c":2},"z":null}'), { a: 3, d: 4 }],
    ['an own __proto__ key from JSON stays a field', () => JSON.parse('{"model":"m","__proto__":{"polluted":true}}'), { model: 'n' }],
    ['integer-like keys', () => ({ 2: 'b', 1: 'a', x: 'y' }), { 0: 'z' }],
  ];
  for (const [name, source, fields] of cases) {
    it(name, () => {
      const expected = { ...source(), ...fields };
      const got = withFields(source(), fields);
      expect(Object.keys(got)).toEqual(Object.keys(expected));
      expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
      expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
      expect(got).toStrictEqual(expected);
    });
  }

  it('copies own enumerable symbols, leaves the source alone, and copies nothing from null', () => {
    const tag = Symbol('tag');
    const source = { a: 1, [tag]: 'kept' };
    const got = withFields(source, { b: 2 });
    expect(got[tag]).toBe('kept');
    expect(source).toEqual({ a: 1, [tag]: 'kept' });
    expect(withFields(null as unknown as object, { b: 2 })).toEqual({ b: 2 });
  });
});

describe('withFields keeps one hidden class in optimized code', () => {
  it('two results built from fresh sources share their map', () => {
    const build = (i: number) => withFields({ model: 'm', messages: [i] }, { grant: i });
    natives.prepare(build);
    for (let i = 0; i < 2000; i++) build(i);
    natives.optimizeNext(build);
    for (let i = 0; i < 2000; i++) build(i);
    expect(natives.sameMap(build(1), build(2))).toBe(true);
  });
});

describe('mergeUsage (canonical/usage.ts) gives what `{ ...usage, ...more }` gives, with one hidden class', () => {
  const reports: Array<[string, Array<Partial<Usage>>]> = [
    ['Anthropic: message_start, then message_delta', [{ inputTokens: 12, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, { outputTokens: 40 }]],
    ['OpenAI: one report at the end', [{ inputTokens: 12, outputTokens: 40, reasoningTokens: 0 }]],
    ['a cache count after the first report', [{ inputTokens: 12, outputTokens: 0 }, { cacheReadTokens: 8 }, { outputTokens: 40 }]],
    ['Gemini: a thoughts count once thinking shows', [{ inputTokens: 12, outputTokens: 0 }, { inputTokens: 12, outputTokens: 30, reasoningTokens: 20 }]],
  ];
  const merged = (sequence: Array<Partial<Usage>>, merge: (a: Partial<Usage> | null, b: Partial<Usage>) => Partial<Usage>) =>
    sequence.reduce<Partial<Usage> | null>((usage, more) => merge(usage, more), null);

  for (const [name, sequence] of reports) {
    it(name, () => {
      const expected = merged(sequence, (a, b) => ({ ...a, ...b }))!;
      const got = merged(sequence, mergeUsage)!;
      expect(Object.keys(got)).toEqual(Object.keys(expected));
      expect(got).toStrictEqual(expected);
      // Once warm, mergeUsage's results share one hidden class from one stream to the next.
      for (let i = 0; i < 2000; i++) merged(sequence, mergeUsage);
      expect(natives.sameMap(merged(sequence, mergeUsage)!, merged(sequence, mergeUsage)!)).toBe(true);
    });
  }

  it('the spread it replaces makes a new hidden class for a report that adds keys (why it exists)', () => {
    const spread = (a: Partial<Usage> | null, b: Partial<Usage>) => ({ ...a, ...b });
    const sequence = reports[3]![1];
    // Warm: the spread's fast clone path (which copies the Map instead of following transitions)
    // is taken once its inline cache has seen the source's shape.
    for (let i = 0; i < 2000; i++) merged(sequence, spread);
    expect(natives.sameMap(merged(sequence, spread)!, merged(sequence, spread)!)).toBe(false);
  });
});

// @vitest-environment node
/**
 * The body parser's shortcut (security/json-body.ts) must answer exactly what Fastify's own JSON
 * parser answers — same value, same refusal — for every text, including prototype-poisoning keys
 * written plainly or with \u escapes, and it must take the shortcut only where the poisoning
 * checks cannot match.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../src-proxy/security/json-body.ts';

const fastifyParser = Fastify().getDefaultJsonParser('error', 'error');

type Outcome = { error: string | null; value: unknown };

function viaFastify(text: string): Outcome {
  let outcome: Outcome | null = null;
  fastifyParser({} as never, text, (error, value) => (outcome = { error: error ? `${(error as { code?: string }).code}` : null, value }));
  return outcome!;
}

function viaShortcut(text: string): Outcome & { shortcut: boolean } {
  let outcome: Outcome | null = null;
  let shortcut = true;
  parseJsonBody(
    text,
    (fallback) => {
      shortcut = false;
      outcome = viaFastify(fallback);
    },
    (error, value) => (outcome = { error: error ? error.message : null, value }),
  );
  return { ...outcome!, shortcut };
}

const conversation = JSON.stringify({ model: 'm', messages: Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i} ☕ "quoted" \\ back`.repeat(30) })) });

const cases: Array<[string, boolean]> = [
  ['{"model":"m","messages":[{"role":"user","content":"hi"}]}', true],
  [conversation, true],
  ['[1,2,3]', true],
  ['"text"', true],
  ['{"a":"__proto__ as a word, constructor too"}', true],
  // What Fastify's checks refuse or look at: never the shortcut.
  ['{"__proto__":{"polluted":true}}', false],
  ['{"a":{"__proto__":{"x":1}}}', false],
  ['{"\\u005f_proto__":{"polluted":true}}', false],
  ['{"__pro\\u0074o__":{"polluted":true}}', false],
  ['{"constructor":{"prototype":{"polluted":true}}}', false],
  ['{"c\\u006fnstructor":{"prototype":{"x":1}}}', false],
  ['{"constructor":"fine"}', false],
  ['{"text":"caf\\u00e9"}', false],
  // Not JSON, or empty: Fastify's own errors.
  ['', false],
  ['{"model":', false],
  ['\ufeff{"model":"m"}', false],
  ['{"a":1} trailing', false],
];

describe('parseJsonBody', () => {
  for (const [index, [text, shortcut]] of cases.entries()) {
    it(`case ${index}: answers as Fastify's parser does${shortcut ? ', without its checks' : ', through it'}`, () => {
      const expected = viaFastify(text);
      const actual = viaShortcut(text);
      expect(actual.shortcut).toBe(shortcut);
      expect(actual.error).toBe(expected.error);
      expect(actual.value).toEqual(expected.value);
    });
  }

  it('refuses prototype poisoning as Fastify does', () => {
    expect(viaShortcut('{"__proto__":{"polluted":true}}').error).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    expect(viaShortcut('{"constructor":{"prototype":{"polluted":true}}}').error).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    expect(viaShortcut('').error).toBe('FST_ERR_CTP_EMPTY_JSON_BODY');
  });
});

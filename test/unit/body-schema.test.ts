import { describe, expect, it } from 'vitest';
import { checkBody, field, type BodySchema } from '../../src-proxy/wire/body-schema.ts';
import * as openai from '../../src-proxy/dialects/openai/request-schemas.ts';
import * as anthropic from '../../src-proxy/dialects/anthropic/request-schema.ts';
import * as gemini from '../../src-proxy/dialects/gemini/request-schema.ts';
import * as ollama from '../../src-proxy/dialects/ollama/request-schemas.ts';
import * as responses from '../../src-proxy/dialects/responses/request-schema.ts';
import { frontDoors, malformedCorpus } from '../fixtures/malformed-corpus.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';

// A body is checked first without paths (`ok`) and walked with paths only when it fails: the two
// walks must agree on every body, or a bad body would pass (or a good one be refused unexplained).
const schemas: Array<[string, BodySchema]> = [openai, anthropic, gemini, ollama, responses].flatMap((module) =>
  Object.entries(module).filter((entry): entry is [string, BodySchema] => typeof entry[1] === 'object' && entry[1] !== null && 'fields' in entry[1]),
);

const bodies: unknown[] = [
  ...frontDoors('bench').map((door) => door.valid),
  ...malformedCorpus('bench').flatMap((entry) => {
    try {
      return [JSON.parse(entry.body) as unknown];
    } catch {
      return [];
    }
  }),
  // A long conversation: every message is checked, the last one at fault.
  { model: 'm', messages: [...Array.from({ length: 300 }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: `turn ${index}` })), { role: 'user', content: 5 }] },
  { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [{ function: { name: 7 } }] }] },
];

describe('body schema: the quick check agrees with the explaining one', () => {
  it('found the schemas of every front door', () => {
    expect(schemas.map(([name]) => name)).toEqual(expect.arrayContaining(['CHAT_SCHEMA', 'MESSAGES_SCHEMA', 'GENERATE_SCHEMA', 'RESPONSES_SCHEMA', 'EMBEDDINGS_SCHEMA']));
    expect(schemas.length).toBeGreaterThanOrEqual(12);
  });

  it.each(schemas)('%s', (_name, schema) => {
    const whole = field.object(schema.fields, schema.required ?? []);
    let refused = 0;
    for (const [index, body] of bodies.entries()) {
      const problem = whole.check(body, 'body');
      expect(whole.ok(body), `body #${index}`).toBe(problem === null);
      if (problem !== null) refused++;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) continue;
      // checkBody refuses exactly the bodies the explaining walk finds fault with, naming the field.
      let thrown: unknown = null;
      try {
        checkBody(body as Record<string, unknown>, schema);
      } catch (error) {
        thrown = error;
      }
      if (problem === null) expect(thrown).toBeNull();
      else {
        expect(thrown).toBeInstanceOf(GatewayError);
        expect((thrown as GatewayError).message.startsWith(problem.problem.replaceAll('"body.', '"'))).toBe(true);
      }
    }
    // The corpus holds bodies this schema refuses, so both outcomes were compared.
    expect(refused).toBeGreaterThan(0);
  });

  it('names the message at fault in a long conversation', () => {
    const body = bodies.at(-2) as Record<string, unknown>;
    expect(() => checkBody(body, openai.CHAT_SCHEMA)).toThrow('"messages[300].content" must be a string or an array of an object with "type" or null');
  });
});

/**
 * History's search index takes of a row's upstream body only what its client body does not
 * already give a search (store/history-search.ts upstreamSearchPart): every whitespace-free term
 * found in the upstream body is still found in the indexed text, checked over every substring of
 * spliced bodies; and in a real store a search for the spliced model or the usage request still
 * finds the row, and one for text neither body holds does not.
 */
import { describe, expect, it } from 'vitest';
import { upstreamSearchPart } from '../../src-proxy/store/history-search.ts';
import { historyRecord, tempStore } from '../store/helpers.ts';

const client = '{"model":"gpt-x","messages":[{"role":"user","content":"Please refactor class FooBar now"}],"stream":true}';
const spliced = [
  client.replace('"gpt-x"', '"upstream-model-7"'),
  client.replace('"stream":true}', '"stream":true,"stream_options":{"include_usage":true}}'),
  client.replace('"gpt-x"', '"m"').replace('"stream":true}', '"stream":true,"stream_options":{"include_usage":true}}'),
  client.replace('refactor', 'rewrite'),
  client.replace('"gpt-x",', ''),
  `{ "pretty": true, ${client.slice(1)}`,
  client,
  'x',
];

/** Every whitespace-free substring of `text` (what a search term can be). */
function* terms(text: string): Generator<string> {
  for (let start = 0; start < text.length; start++) {
    for (let end = start + 1; end <= text.length; end++) {
      const term = text.slice(start, end);
      if (/\s/.test(term)) break;
      yield term;
    }
  }
}

describe('upstreamSearchPart', () => {
  it('indexes nothing twice that the client body already holds, and loses no term of the upstream body', () => {
    for (const upstream of spliced) {
      const part = upstreamSearchPart(client, upstream);
      const indexed = `${client} ${part ?? ''}`;
      for (const term of terms(upstream)) expect(indexed.includes(term), `${term} of ${upstream}`).toBe(true);
    }
  });

  it('is a small window around the spliced model, nothing for an identical body, the body itself without a client body', () => {
    expect(upstreamSearchPart(client, spliced[0])).toBe('{"model":"upstream-model-7","messages":[{"role":"user","content":"Please');
    expect(upstreamSearchPart(client, client)).toBeNull();
    expect(upstreamSearchPart(null, client)).toBe(client);
    expect(upstreamSearchPart(client, null)).toBeNull();
    expect(upstreamSearchPart(client, undefined)).toBeUndefined();
    const long = `{"model":"a","messages":[${'{"role":"user","content":"one two three"},'.repeat(2000)}{"role":"user","content":"end"}]}`;
    expect(upstreamSearchPart(long, long.replace('"a"', '"b-model"'))!.length).toBeLessThan(80);
  });

  it('a store finds a row by what only its upstream body holds, as before', () => {
    const { store } = tempStore();
    const upstream = spliced[2]!;
    store.history.insertBatch([historyRecord({ id: 'spliced', bodies: { clientRequest: client, upstreamRequest: upstream, response: '{"ok":true}' } }), historyRecord({ id: 'other', bodies: { clientRequest: '{"messages":[]}', upstreamRequest: null, response: null } })]);
    const search = (text: string): string[] => store.history.query({ search: text }).rows.map((r) => r.id);
    expect(search('"m"')).toEqual(['spliced']);
    expect(search('include_usage')).toEqual(['spliced']);
    expect(search('{"model":"m","messages"')).toEqual(['spliced']);
    expect(search('FooBar')).toEqual(['spliced']);
    expect(search('"gpt-x"')).toEqual(['spliced']);
    expect(search('"upstream-model-7"')).toEqual([]);
    expect(store.history.get('spliced')?.bodies?.upstreamRequest).toBe(upstream);
  });
});

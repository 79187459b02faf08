/**
 * Thinking asked without a budget or an effort (Ollama `think: true`, a Responses reasoning
 * summary) reaches an Anthropic upstream with a default budget below the output limit, and every
 * change Switchboard makes to a request that a user would care about is a note on its history row.
 */
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('thinking defaults and request notes on an Anthropic upstream', () => {
  let upstream: FakeAnthropic;
  let harness: Harness;
  let ollama: Ollama;
  let openai: OpenAI;

  beforeEach(async () => {
    upstream = await startFakeAnthropic();
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: ['sk-ant-upstream'] }],
      // A Claude family model: 32,000 output tokens at most (built-in family defaults).
      aliases: [{ alias: 'sonnet', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    ollama = new Ollama({ host: harness.origin });
    openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const lastMessages = () => upstream.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body!;
  const answer = () => upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'thinking', chunks: ['Hm.'], signature: 'SIG' }, { type: 'text', chunks: ['Done.'] }] }));
  async function lastNotes(): Promise<string[]> {
    harness.gateway.flushHistory();
    const page = await harness.gateway.control.queryHistory({ limit: 1 });
    const detail = await harness.gateway.control.getHistoryEntry({ id: page.rows[0]!.id });
    return detail!.notes;
  }

  it('Ollama think: true gets a default budget (half the output limit, at most 8192) and says so', async () => {
    answer();
    const reply = await ollama.chat({ model: 'sonnet', messages: [{ role: 'user', content: 'Why?' }], think: true, stream: false });
    expect(reply.message.thinking).toBe('Hm.');
    expect(lastMessages()).toMatchObject({ max_tokens: 32_000, thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(await lastNotes()).toEqual(['thinking asked without a budget: budget_tokens 8192 chosen']);

    answer();
    await ollama.chat({ model: 'sonnet', messages: [{ role: 'user', content: 'Why?' }], think: true, options: { num_predict: 3000 }, stream: false });
    expect(lastMessages()).toMatchObject({ max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1500 } });
  });

  it('an output limit too small for Anthropic\'s minimum budget leaves thinking off, with a note', async () => {
    answer();
    await ollama.chat({ model: 'sonnet', messages: [{ role: 'user', content: 'Why?' }], think: true, options: { num_predict: 900 }, stream: false });
    expect(lastMessages().thinking).toBeUndefined();
    expect(await lastNotes()).toEqual([
      'thinking asked without a budget: budget_tokens 1024 chosen',
      "thinking left off: max_tokens 900 leaves no room for Anthropic's minimum budget of 1024",
    ]);
  });

  it('a Responses reasoning summary without an effort turns thinking on; dropped hosted tools are noted', async () => {
    answer();
    const response = await openai.responses.create({
      model: 'sonnet',
      input: 'Why?',
      reasoning: { summary: 'auto' },
      tools: [{ type: 'web_search_preview' }],
    });
    expect(response.output_text).toBe('Done.');
    expect(lastMessages()).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(lastMessages().tools).toBeUndefined();
    const notes = await lastNotes();
    expect(notes).toContain('thinking asked without a budget: budget_tokens 8192 chosen');
    expect(notes).toContain('hosted tools and items this provider cannot run were left out: web_search_preview');
  });

  it('max_tokens above the model\'s output limit is lowered, and an explicit budget above it too', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['ok'] }] }));
    await openai.chat.completions.create({ model: 'sonnet', max_tokens: 128_000, messages: [{ role: 'user', content: 'Hi' }] });
    expect(lastMessages().max_tokens).toBe(32_000);
    expect(await lastNotes()).toEqual(["max_tokens 128000 lowered to 32000, the model's output limit"]);

    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['ok'] }] }));
    await openai.chat.completions.create({ model: 'sonnet', max_tokens: 4000, reasoning_effort: 'high', messages: [{ role: 'user', content: 'Hi' }] });
    expect(lastMessages()).toMatchObject({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 3999 } });
    expect(await lastNotes()).toEqual(['thinking budget lowered from 16384 to 3999 to stay below max_tokens 4000']);
  });

  it('a request Switchboard did not change has no notes', async () => {
    upstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['ok'] }] }));
    await openai.chat.completions.create({ model: 'sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] });
    expect(await lastNotes()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { collectResponse } from '../../src-proxy/canonical/accumulator.ts';
import type { ChatRequest, ChatResponse } from '../../src-proxy/canonical/types.ts';
import { cacheKeyOf, canonicalJson } from '../../src-proxy/cache/cache-key.ts';
import { replayEvents, replayStream } from '../../src-proxy/cache/replay.ts';
import { parseAnthropicRequest } from '../../src-proxy/dialects/anthropic/parse-request.ts';
import { parseOpenAiChatRequest } from '../../src-proxy/dialects/openai/parse-chat.ts';

const targets = [{ provider: 'openai', model: 'gpt-4o' }];

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'coder', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false, extra: {}, ...overrides };
}

describe('the cache key', () => {
  it('is the same whatever order the objects were built in, and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"f":2}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('is stable across releases: answers kept before the faster canonical form still match', () => {
    // Computed by the first (piece-by-piece) canonicalJson; escapes, unicode, nested sorting, an ignored hint and an undefined member.
    const kept = {
      model: 'x', system: [{ type: 'text', text: 'Be brief "always"\n' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello ünïcode ✓', cacheControl: { type: 'ephemeral' } }] }],
      tools: [{ name: 't', description: 'd', parameters: { type: 'object', properties: { b: { type: 'number' }, a: { type: 'string' } } } }],
      temperature: 0.5, maxTokens: undefined, stream: true, extra: {},
    } as unknown as ChatRequest;
    expect(cacheKeyOf([{ provider: 'p', model: 'm' }], kept)).toBe('n97NGiHPJyuUvR03ZkRuqXHTGcRDbBZdYLCiNGQiPZ8');
  });

  it('ignores what does not change the answer: the name asked for, streaming, who asks, prompt-cache hints', () => {
    const base = cacheKeyOf(targets, request());
    expect(cacheKeyOf(targets, request({ model: 'other-name', stream: true, user: 'u1', metadata: { a: 1 } }))).toBe(base);
    expect(cacheKeyOf(targets, request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi', cacheControl: { type: 'ephemeral' } }] }] }))).toBe(base);
  });

  it('differs for another question, another parameter or other targets', () => {
    const base = cacheKeyOf(targets, request());
    const others = [
      cacheKeyOf(targets, request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi!' }] }] })),
      cacheKeyOf(targets, request({ temperature: 0 })),
      cacheKeyOf(targets, request({ system: [{ type: 'text', text: 'Be brief.' }] })),
      cacheKeyOf(targets, request({ tools: [{ type: 'function', name: 'f', parameters: {} }] })),
      cacheKeyOf([{ provider: 'openai', model: 'gpt-4o-mini' }], request()),
      cacheKeyOf([...targets, { provider: 'backup', model: 'gpt-4o' }], request()),
      cacheKeyOf([{ ...targets[0]!, overrides: { maxTokens: 10 } }], request()),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('is the same for the same question asked by an OpenAI and an Anthropic client', () => {
    const openai = parseOpenAiChatRequest({
      model: 'coder', max_tokens: 100, temperature: 0, stream: true,
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const anthropic = parseAnthropicRequest({
      model: 'coder', max_tokens: 100, temperature: 0,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ name: 'weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    expect(cacheKeyOf(targets, openai)).toBe(cacheKeyOf(targets, anthropic));
  });
});

describe('replaying a kept answer', () => {
  const answer: ChatResponse = {
    id: 'msg_1',
    model: 'claude-sonnet-4-5',
    content: [
      { type: 'thinking', text: 'Let me look.', signature: { provider: 'anthropic', value: 'sig' } },
      { type: 'thinking', text: '', redacted: { provider: 'anthropic', value: 'blob' } },
      { type: 'text', text: 'Checking both.' },
      { type: 'tool_call', id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'tool_call', id: 'call_b', name: 'time', arguments: '{}', signature: { provider: 'gemini', value: 'ts' } },
    ],
    finishReason: 'tool_calls',
    usage: { inputTokens: 30, outputTokens: 12, cacheReadTokens: 4 },
  };

  it('gives back the same answer through the one accumulator, with a fresh id', async () => {
    const collected = await collectResponse(replayStream(answer), { id: 'fresh', model: 'fallback' });
    expect(collected).toEqual({ ...answer, id: 'fresh' });
  });

  it('starts with the model, ends with usage and the finish reason, and numbers tool calls from 0', () => {
    const events = replayEvents(answer);
    expect(events[0]).toEqual({ type: 'start', model: 'claude-sonnet-4-5' });
    expect(events.slice(-2)).toEqual([{ type: 'usage', usage: answer.usage }, { type: 'finish', reason: 'tool_calls' }]);
    expect(events.filter((event) => event.type === 'tool_call_start').map((event) => event.type === 'tool_call_start' && event.index)).toEqual([0, 1]);
  });
});

/**
 * A cache miss on a same-dialect alias stays on the fast path (issue 15: a miss costs about what
 * no cache costs): the client gets the provider's bytes untouched — its own response id, which the
 * translated path would replace — and the answer is read back from those bytes and kept, so a
 * client of another dialect asking the same question gets it replayed, streamed or not.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startFakeOpenAi, textAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('a cache miss on the same-dialect fast path', () => {
  let openaiUpstream: FakeOpenAi;
  let anthropicUpstream: FakeAnthropic;
  let harness: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;

  const openAiCalls = () => openaiUpstream.requests.filter((request) => request.path.endsWith('/chat/completions')).length;
  const anthropicCalls = () => anthropicUpstream.requests.filter((request) => request.path === '/v1/messages').length;

  beforeEach(async () => {
    openaiUpstream = await startFakeOpenAi();
    anthropicUpstream = await startFakeAnthropic();
    harness = await startGateway({
      providers: [
        { id: 'oa', kind: 'openai', baseUrl: openaiUpstream.baseUrl, keys: ['sk-upstream-openai'] },
        { id: 'an', kind: 'anthropic', baseUrl: anthropicUpstream.baseUrl, keys: ['sk-ant-upstream'] },
      ],
      aliases: [
        { alias: 'oa-cached', targets: [{ provider: 'oa', model: 'fake-large' }], cache: { ttlSeconds: 3600 } },
        { alias: 'an-cached', targets: [{ provider: 'an', model: 'claude-fake-1' }], cache: { ttlSeconds: 3600 } },
      ],
    });
    openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await harness.close();
    await openaiUpstream.close();
    await anthropicUpstream.close();
  });

  it('OpenAI client, one body: forwarded as sent, then replayed to an Anthropic client as a stream', async () => {
    const messages = [{ role: 'user' as const, content: 'One body, please.' }];
    // The same question in both dialects: max_tokens is part of it.
    const first = await openai.chat.completions.create({ model: 'oa-cached', max_tokens: 64, messages }).withResponse();
    expect(first.response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(first.data.id).toBe('chatcmpl-fake'); // the provider's own bytes
    expect(first.data.choices[0]!.message.content).toBe('Hello from fake');

    const { data: stream, response } = await anthropic.messages.create({ model: 'oa-cached', max_tokens: 64, messages, stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('hit');
    let text = '';
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    expect(text).toBe('Hello from fake');
    expect(openAiCalls()).toBe(1);
  });

  it('OpenAI client, streamed: forwarded chunk by chunk, then replayed as one body', async () => {
    const messages = [{ role: 'user' as const, content: 'A stream, please.' }];
    openaiUpstream.enqueue('/v1/chat/completions', textAnswer(['Streamed', ' and', ' kept'], { usage: { prompt: 4, completion: 3 } }));
    const { data: stream, response } = await openai.chat.completions.create({ model: 'oa-cached', messages, stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('miss');
    const ids = new Set<string>();
    let text = '';
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect([...ids]).toEqual(['chatcmpl-fake']);
    expect(text).toBe('Streamed and kept');

    const hit = await openai.chat.completions.create({ model: 'oa-cached', messages }).withResponse();
    expect(hit.response.headers.get('x-switchboard-cache')).toBe('hit');
    expect(hit.data.choices[0]!.message.content).toBe('Streamed and kept');
    expect(hit.data.usage?.completion_tokens).toBe(3);
    expect(openAiCalls()).toBe(1);
  });

  it('Anthropic client, both ways: forwarded as sent, then replayed to an OpenAI client', async () => {
    const asked = [{ role: 'user' as const, content: 'Anthropic, one body.' }];
    anthropicUpstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['Kept ', 'from Claude'] }], usage: { input: 6, output: 4 } }));
    const first = await anthropic.messages.create({ model: 'an-cached', max_tokens: 64, messages: asked }).withResponse();
    expect(first.response.headers.get('x-switchboard-cache')).toBe('miss');
    expect(first.data.id).toBe('msg_fake_1');
    const hit = await openai.chat.completions.create({ model: 'an-cached', max_tokens: 64, messages: asked }).withResponse();
    expect(hit.response.headers.get('x-switchboard-cache')).toBe('hit');
    expect(hit.data.choices[0]!.message.content).toBe('Kept from Claude');

    const streamed = [{ role: 'user' as const, content: 'Anthropic, streamed.' }];
    anthropicUpstream.enqueue('/v1/messages', messageAnswer({ blocks: [{ type: 'text', chunks: ['Streamed ', 'from Claude'] }] }));
    const { data: stream, response } = await anthropic.messages.create({ model: 'an-cached', max_tokens: 64, messages: streamed, stream: true }).withResponse();
    expect(response.headers.get('x-switchboard-cache')).toBe('miss');
    let messageId = '';
    for await (const event of stream) if (event.type === 'message_start') messageId = event.message.id;
    expect(messageId).toBe('msg_fake_1');
    const replayed = await openai.chat.completions.create({ model: 'an-cached', max_tokens: 64, messages: streamed, stream: true });
    let text = '';
    for await (const chunk of replayed) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Streamed from Claude');
    expect(anthropicCalls()).toBe(2);
  });
});

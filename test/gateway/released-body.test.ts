/**
 * After the fast path's first attempt the parsed conversation is let go (http/forwarded-body.ts):
 * a failover to another target parses the client's bytes again. The next target gets the whole
 * conversation — as the client's bytes with its model spliced in when it takes them, or
 * translated when it is of another kind — and the history row and sessions are as before.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicError, startFakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { errorAnswer, startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';

const conversation = [
  { role: 'system' as const, content: 'You are terse. caf\u00e9 "quotes" \\ and \u2028' },
  { role: 'user' as const, content: 'First question?' },
  { role: 'assistant' as const, content: 'First answer.' },
  { role: 'user' as const, content: 'Second question?' },
];

describe('a failover after the fast path let go of the parsed body', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup() {
    const openaiPrimary = await startFakeOpenAi();
    const openaiBackup = await startFakeOpenAi();
    const claude = await startFakeAnthropic();
    const harness = await startGateway({
      providers: [
        { id: 'primary', kind: 'openai', baseUrl: openaiPrimary.baseUrl, keys: ['sk-one'] },
        { id: 'backup', kind: 'openai', baseUrl: openaiBackup.baseUrl, keys: ['sk-two'] },
        { id: 'claude', kind: 'anthropic', baseUrl: claude.baseUrl, keys: ['sk-ant'] },
      ],
      aliases: [
        { alias: 'same-kind', targets: [{ provider: 'primary', model: 'p-model' }, { provider: 'backup', model: 'b-model' }] },
        { alias: 'other-kind', targets: [{ provider: 'primary', model: 'p-model' }, { provider: 'claude', model: 'claude-b' }] },
        { alias: 'claude-first', targets: [{ provider: 'claude', model: 'claude-a' }, { provider: 'primary', model: 'p-model' }] },
      ],
    });
    cleanups.push(() => claude.close(), () => openaiBackup.close(), () => openaiPrimary.close(), () => harness.close());
    return { openaiPrimary, openaiBackup, claude, harness };
  }

  const chats = <T extends { path: string }>(requests: T[]) => requests.filter((r) => r.path === '/v1/chat/completions');

  it('a target of the same kind gets the client bytes again with its own model spliced in', async () => {
    const { openaiPrimary, openaiBackup, harness } = await setup();
    openaiPrimary.enqueue('/v1/chat/completions', errorAnswer(503, 'overloaded'));
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'same-kind', messages: conversation, temperature: 0.25 });
    expect(answer.choices[0]!.message.content).toBe('Hello from fake');
    const [first] = chats(openaiPrimary.requests);
    const [second] = chats(openaiBackup.requests);
    expect(first!.body).toEqual({ model: 'p-model', messages: conversation, temperature: 0.25 });
    expect(second!.body).toEqual({ model: 'b-model', messages: conversation, temperature: 0.25 });
    // Both the client's own text with the model spliced in (not a re-serialization).
    expect(second!.text).toBe(first!.text!.replace('"p-model"', '"b-model"'));
    harness.gateway.flushHistory();
    const row = (await harness.gateway.control.queryHistory({ limit: 1 })).rows[0]!;
    expect(row.attempts.map((a) => [a.provider, a.status])).toEqual([
      ['primary', 503],
      ['backup', 200],
    ]);
  });

  it('a target of another kind gets the whole conversation translated, streamed too', async () => {
    const { openaiPrimary, claude, harness } = await setup();
    openaiPrimary.enqueue('/v1/chat/completions', errorAnswer(503, 'overloaded'));
    openaiPrimary.enqueue('/v1/chat/completions', errorAnswer(503, 'overloaded'));
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'other-kind', messages: conversation });
    expect(answer.choices[0]!.message.content).toBe('Hello from Claude');
    const stream = await client.chat.completions.create({ model: 'other-kind', messages: conversation, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from Claude');
    const sent = claude.requests.filter((r) => r.path === '/v1/messages');
    expect(sent).toHaveLength(2);
    for (const request of sent) {
      expect(request.body!.model).toBe('claude-b');
      expect(JSON.stringify(request.body!.system)).toContain('You are terse. caf\u00e9 \\"quotes\\" \\\\ and \u2028');
      expect(request.body!.messages).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'First question?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'First answer.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Second question?' }] },
      ]);
    }
  });

  it('the Anthropic door: a Messages body that failed on Anthropic reaches an OpenAI target translated', async () => {
    const { openaiPrimary, claude, harness } = await setup();
    claude.enqueue('/v1/messages', anthropicError(529, 'overloaded_error', 'Overloaded'));
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-first', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Weather in caf\u00e9?' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from fake' }]);
    expect(claude.requests.filter((r) => r.path === '/v1/messages')[0]!.body).toEqual({ model: 'claude-a', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Weather in caf\u00e9?' }] });
    const [sent] = chats(openaiPrimary.requests);
    expect(sent!.body!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in caf\u00e9?' },
    ]);
  });
});

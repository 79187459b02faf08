/**
 * Issue 14's leftovers, through the official SDKs: `!/help` / `!/status` beside a question apply
 * and their answer is shown as a note at the head of the reply (every door, stream and not), and
 * the note never goes upstream when the conversation is sent again; with `previous_response_id`
 * the commands in the current input apply, earlier command lines in the kept turns never reach
 * the provider and the session's overrides still apply; a Responses fast-path answer cut for
 * looping ends with a `response.completed` that carries the output so far (openai SDK stream).
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { responsesAnswer, startFakeResponses, type FakeResponses } from '../fixtures/fake-responses-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { ALL_DOORS, sdkClient, type Turn } from './sdk-clients.ts';

const NOTE_HEAD = '[Switchboard] ';

describe('in-chat command follow-ups', () => {
  let upstream: FakeOpenAi;
  let responses: FakeResponses;
  let harness: Harness;
  let seen = 0;
  beforeAll(async () => {
    [upstream, responses] = await Promise.all([startFakeOpenAi(), startFakeResponses()]);
    harness = await startGateway({
      providers: [
        { id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] },
        { id: 'rs', kind: 'openai', baseUrl: responses.baseUrl, keys: ['sk-rs'], options: { supportsResponses: true } },
      ],
      aliases: [
        { alias: 'smart', targets: [{ provider: 'up', model: 'gpt-smart' }] },
        { alias: 'same-responses', targets: [{ provider: 'rs', model: 'gpt-fake' }] },
      ],
    });
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([upstream.close(), responses.close()]);
  });
  afterEach(() => {
    seen = upstream.requests.length;
  });
  const upstreamCalls = () => upstream.requests.slice(seen).filter((request) => request.path.endsWith('/chat/completions'));

  for (const door of ALL_DOORS) {
    for (const stream of [false, true]) {
      it(`${door} (${stream ? 'streaming' : 'whole answer'}): !/status beside a question applies, answers as a note, and the question goes upstream`, async () => {
        const session = `note-${door}-${stream}`;
        const client = sdkClient(door, harness.origin, harness.token);
        const first: Turn = { role: 'user', text: '!/set(temperature=0.3)\n!/status\nWhat is two plus two?' };
        const answer = await client.ask({ model: 'smart', turns: [first], stream, sessionId: session });
        expect(answer.text.startsWith(NOTE_HEAD)).toBe(true);
        expect(answer.text).toContain(`Session: ${session}`);
        expect(answer.text).toContain('Overrides: temperature=0.3');
        expect(answer.text.endsWith('---\n\nHello from fake')).toBe(true);
        expect(answer.finish).toMatch(/^(stop|end_turn|completed|STOP)$/);
        const [asked] = upstreamCalls();
        expect(asked!.body).toMatchObject({ model: 'gpt-smart', temperature: 0.3 });
        expect(JSON.stringify(asked!.body)).toContain('What is two plus two?');
        expect(JSON.stringify(asked!.body)).not.toContain('!/');

        // The conversation sent again: the provider sees its own reply, without the note.
        await client.ask({ model: 'smart', turns: [first, { role: 'assistant', text: answer.text }, { role: 'user', text: 'And three plus three?' }], stream, sessionId: session });
        const again = upstreamCalls()[1]!.body as { messages: Array<{ role: string; content: unknown }> };
        expect(JSON.stringify(again)).not.toContain(NOTE_HEAD.trim());
        expect(JSON.stringify(again.messages.find((message) => message.role === 'assistant'))).toContain('Hello from fake');
        expect(again).toMatchObject({ temperature: 0.3 });
      });
    }
  }

  it('previous_response_id: the current input’s commands apply, kept command lines never go upstream, overrides hold', async () => {
    const openai = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const headers = { 'x-session-id': 'previous-response' };
    const first = await openai.responses.create({ model: 'smart', input: '!/set(temperature=0.2, max_tokens=300)\nFirst question' }, { headers });
    expect(first.output_text).toBe('Hello from fake');
    const second = await openai.responses.create({ model: 'smart', previous_response_id: first.id, input: 'Second question' }, { headers });
    expect(second.output_text).toBe('Hello from fake');
    const third = await openai.responses.create({ model: 'smart', previous_response_id: second.id, input: '!/unset(max_tokens)\n!/status\nThird question' }, { headers });
    expect(third.output_text.startsWith(NOTE_HEAD)).toBe(true);
    expect(third.output_text).toContain('Overrides: temperature=0.2');
    expect(third.output_text).not.toContain('max_tokens=300');
    // A commands-only turn after a kept conversation is answered locally.
    const fourth = await openai.responses.create({ model: 'smart', previous_response_id: third.id, input: '!/set(temperature=0.7)' }, { headers });
    expect(fourth.output_text).toContain('Overrides: temperature=0.7');
    await openai.responses.create({ model: 'smart', previous_response_id: fourth.id, input: 'Fifth question' }, { headers });

    const calls = upstreamCalls().map((call) => call.body as { temperature?: number; max_tokens?: number; max_completion_tokens?: number; messages: Array<{ role: string; content: unknown }> });
    expect(calls).toHaveLength(4);
    for (const call of calls) expect(JSON.stringify(call)).not.toContain('!/');
    expect(calls[0]).toMatchObject({ temperature: 0.2 });
    expect(calls[1]).toMatchObject({ temperature: 0.2 });
    expect(JSON.stringify(calls[1]!.messages)).toContain('First question');
    expect(calls[1]!.max_tokens ?? calls[1]!.max_completion_tokens).toBe(300);
    expect(calls[2]).toMatchObject({ temperature: 0.2 });
    expect(calls[2]!.max_tokens ?? calls[2]!.max_completion_tokens).toBeUndefined();
    expect(JSON.stringify(calls[2]!.messages)).toContain('Second question');
    expect(calls[3]).toMatchObject({ temperature: 0.7 });
    expect(JSON.stringify(calls[3]!.messages)).not.toContain(NOTE_HEAD.trim());
  });

  it('a Responses fast-path answer cut for looping completes with the output so far (openai SDK stream)', async () => {
    const sentence = 'I will now check the configuration file again to make sure it is right. ';
    const looping = [...`Let me see. ${sentence.repeat(12)}`.match(/[\s\S]{1,9}/g)!, 'THIS PART IS NEVER SENT'];
    responses.enqueue(responsesAnswer([{ type: 'reasoning', summary: ['Thinking it over.'] }, { type: 'message', parts: looping }], { usage: { input: 21, output: 300 } }));
    const openai = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const stream = openai.responses.stream({ model: 'same-responses', input: 'Check the config' });
    const doneItems: string[] = [];
    for await (const event of stream) if (event.type === 'response.output_item.done') doneItems.push(event.item.type);
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(final.output_text.startsWith('Let me see. I will now check')).toBe(true);
    expect(final.output_text).toContain('[Switchboard stopped this answer');
    expect(final.output_text).not.toContain('NEVER SENT');
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
    expect(doneItems).toEqual(['reasoning', 'message']);
    // The cut answer was kept: the conversation goes on from it.
    const next = await openai.responses.create({ model: 'same-responses', previous_response_id: final.id, input: 'Go on' });
    expect(next.status).toBe('completed');
  });
});

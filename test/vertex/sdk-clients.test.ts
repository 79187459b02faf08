// The official SDKs → Switchboard → a Vertex AI provider (Gemini and Claude publisher models),
// against a fake Vertex that issues tokens at its own token_uri (checking the service account's
// RS256 JWT with its public key) and accepts only the bearer tokens it issued.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeAnswer, geminiAnswer, startFakeVertex, type FakeServiceAccount, type FakeVertex } from '../fixtures/fake-vertex-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('SDK clients through Switchboard to Vertex AI', () => {
  let fake: FakeVertex;
  let account: FakeServiceAccount;
  let harness: Harness;
  const lastCall = () => fake.calls.at(-1)!;

  beforeEach(async () => {
    fake = await startFakeVertex();
    account = fake.account();
    harness = await startGateway({
      providers: [{ id: 'vx', kind: 'vertex', baseUrl: fake.origin, options: { project: 'my-proj', region: 'europe-west4' }, keys: [account.json] }],
      aliases: [
        { alias: 'flash', targets: [{ provider: 'vx', model: 'gemini-2.5-flash' }] },
        { alias: 'sonnet', targets: [{ provider: 'vx', model: 'claude-sonnet-4-5@20250929' }] },
        { alias: 'llama3', targets: [{ provider: 'vx', model: 'claude-sonnet-4-5@20250929' }] },
        { alias: 'gemini-2.5-flash', targets: [{ provider: 'vx', model: 'gemini-2.5-flash' }] },
      ],
    });
    await harness.gateway.whenIdle(); // start-up discovery has fetched the first token
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  it('OpenAI client streams from a Gemini publisher model with a token from the service-account JWT', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } })) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from Gemini on Vertex');
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });
    expect(lastCall()).toMatchObject({ project: 'my-proj', region: 'europe-west4', publisher: 'google', model: 'gemini-2.5-flash', method: 'streamGenerateContent', token: 'ya29.fake-1' });
    expect(fake.exchanges).toEqual([{ ok: true }]);
    expect((await harness.gateway.control.listProviders())[0]!.keys[0]!.masked).not.toContain('PRIVATE');
  });

  it('OpenAI client: Claude publisher model, non-streaming and streaming, body with anthropic_version and no model; one token for all', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 64 });
    expect(completion.choices[0]!.message.content).toBe('Hello from Claude on Vertex');
    expect(lastCall()).toMatchObject({ publisher: 'anthropic', model: 'claude-sonnet-4-5@20250929', method: 'rawPredict' });
    expect(lastCall().body).toEqual({ anthropic_version: 'vertex-2023-10-16', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], max_tokens: 64 });
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'Hi' }], stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from Claude on Vertex');
    expect(lastCall().method).toBe('streamRawPredict');
    expect(fake.exchanges.length).toBe(1);
  });

  it('Anthropic client: a tool round with Claude on Vertex', async () => {
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    fake.enqueue(claudeAnswer([{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_vx1', name: 'lookup', input: { q: 'z' } }], 'tool_use'));
    const tools: Anthropic.Tool[] = [{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const first = await client.messages.stream({ model: 'sonnet', max_tokens: 100, tools, messages: [{ role: 'user', content: 'Find z' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content.at(-1)).toMatchObject({ type: 'tool_use', id: 'toolu_vx1', name: 'lookup', input: { q: 'z' } });
    const second = await client.messages.create({ model: 'sonnet', max_tokens: 100, tools, messages: [{ role: 'user', content: 'Find z' }, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_vx1', content: 'z is 3' }] }] });
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from Claude on Vertex' })]);
    const sent = lastCall().body!.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(sent[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_vx1' });
    expect(lastCall().body).not.toHaveProperty('model');
  });

  it('Gemini client (@google/genai): a function-call round with a Gemini model on Vertex', async () => {
    const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin } });
    fake.enqueue(geminiAnswer([{ functionCall: { name: 'lookup', args: { q: 'w' } }, thoughtSignature: 'c2lnLXZ4' }]));
    const tools = [{ functionDeclarations: [{ name: 'lookup', parametersJsonSchema: { type: 'object' } }] }];
    const first = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Find w', config: { tools } });
    expect(first.functionCalls).toEqual([expect.objectContaining({ name: 'lookup', args: { q: 'w' } })]);
    let text = '';
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash', config: { tools },
      contents: [
        { role: 'user', parts: [{ text: 'Find w' }] },
        first.candidates![0]!.content!,
        { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { result: 'w is 9' } } }] },
      ],
    });
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe('Hello from Gemini on Vertex');
    const contents = lastCall().body!.contents as Array<{ parts: Array<Record<string, unknown>> }>;
    expect(contents[1]!.parts[0]).toMatchObject({ functionCall: { name: 'lookup', args: { q: 'w' } }, thoughtSignature: 'c2lnLXZ4' });
    expect(contents[2]!.parts[0]).toMatchObject({ functionResponse: { name: 'lookup' } });
  });

  it('Ollama client streams from Claude on Vertex', async () => {
    const ollama = new Ollama({ host: harness.origin, headers: { authorization: `Bearer ${harness.token}` } });
    let text = '';
    for await (const part of await ollama.chat({ model: 'llama3', messages: [{ role: 'user', content: 'Hi' }], stream: true })) text += part.message.content;
    expect(text).toBe('Hello from Claude on Vertex');
  });
});

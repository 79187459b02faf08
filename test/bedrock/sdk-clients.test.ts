// The official SDKs → Switchboard → a Bedrock provider (Converse / ConverseStream), against a
// fake Bedrock that checks every SigV4 signature with AWS's own signer and streams AWS's binary
// event stream split across TCP writes.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { converse, startFakeBedrock, type FakeBedrock } from '../fixtures/fake-bedrock-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const IDENTITY = { accessKeyId: 'AKIAFAKEEXAMPLE12345', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const TOOL_SCRIPT = converse({ content: [{ text: 'Let me look.' }, { toolUse: { toolUseId: 'tooluse_abc', name: 'lookup', input: { q: 'x' } } }], stopReason: 'tool_use' });

describe('SDK clients through Switchboard to AWS Bedrock (SigV4)', () => {
  let fake: FakeBedrock;
  let harness: Harness;
  const runtimeCalls = () => fake.requests.filter((request) => request.operation !== 'foundation-models');
  const lastCall = () => runtimeCalls().at(-1)!;

  beforeEach(async () => {
    fake = await startFakeBedrock({ identities: [IDENTITY] });
    harness = await startGateway({
      providers: [{ id: 'aws', kind: 'bedrock', baseUrl: fake.origin, options: { region: 'eu-west-3' }, keys: [`${IDENTITY.accessKeyId}:${IDENTITY.secretAccessKey}`] }],
      aliases: [
        { alias: 'claude', targets: [{ provider: 'aws', model: MODEL }] },
        { alias: 'llama3', targets: [{ provider: 'aws', model: MODEL }] },
        { alias: 'gemini-2.5-flash', targets: [{ provider: 'aws', model: MODEL }] },
      ],
    });
  });
  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  it('OpenAI client streams through ConverseStream, signed for the region, with usage', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true }, max_tokens: 50, temperature: 0.2 });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from Bedrock');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 6 });
    const seen = lastCall();
    expect([seen.operation, seen.model, seen.auth, seen.region]).toEqual(['converse-stream', MODEL, 'sigv4', 'eu-west-3']);
    expect(seen.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }], system: [{ text: 'Be brief' }], inferenceConfig: { maxTokens: 50, temperature: 0.2 } });
  });

  it('OpenAI client: non-streaming Converse and a tool round (toolUse → tool_calls → toolResult)', async () => {
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    fake.enqueue(TOOL_SCRIPT);
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    const first = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Find x' }], tools, tool_choice: 'required' });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && [call.id, call.function.name, JSON.parse(call.function.arguments)]).toEqual(['tooluse_abc', 'lookup', { q: 'x' }]);
    expect(lastCall().operation).toBe('converse');
    expect(lastCall().body!.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'lookup', description: 'Look up', inputSchema: { json: { type: 'object', properties: { q: { type: 'string' } } } } } }], toolChoice: { any: {} } });

    const second = await client.chat.completions.create({
      model: 'claude', tools,
      messages: [{ role: 'user', content: 'Find x' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'x is 42' }],
    });
    expect(second.choices[0]!.message.content).toBe('Hello from Bedrock');
    expect(lastCall().body!.messages).toEqual([
      { role: 'user', content: [{ text: 'Find x' }] },
      { role: 'assistant', content: [{ text: 'Let me look.' }, { toolUse: { toolUseId: 'tooluse_abc', name: 'lookup', input: { q: 'x' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_abc', content: [{ text: 'x is 42' }], status: 'success' } }] },
    ]);
  });

  it('Anthropic client: signed reasoning and a streamed tool call come back as thinking + tool_use, and the signed reasoning goes up again before the toolUse', async () => {
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    fake.enqueue(converse({
      content: [{ reasoningContent: { reasoningText: { text: 'I should look it up.', signature: 'sig-bedrock-1' } } }, { toolUse: { toolUseId: 'tooluse_r1', name: 'lookup', input: { q: 'y' } } }],
      stopReason: 'tool_use', usage: { inputTokens: 30, outputTokens: 12, cacheReadInputTokens: 8 },
    }));
    const tools: Anthropic.Tool[] = [{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const message = await client.messages.stream({ model: 'claude', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, tools, messages: [{ role: 'user', content: 'Find y' }] }).finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      // The Anthropic dialect shows only Anthropic's own signatures; Bedrock's is kept by tool-call id.
      expect.objectContaining({ type: 'thinking', thinking: 'I should look it up.' }),
      expect.objectContaining({ type: 'tool_use', id: 'tooluse_r1', name: 'lookup', input: { q: 'y' } }),
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 12, cache_read_input_tokens: 8 });
    expect(lastCall().body!.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2000 } });
    expect(lastCall().body!.inferenceConfig).toEqual({ maxTokens: 4000 });

    await client.messages.create({
      model: 'claude', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, tools,
      messages: [{ role: 'user', content: 'Find y' }, { role: 'assistant', content: message.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tooluse_r1', content: 'y is 7' }] }],
    });
    expect((lastCall().body!.messages as Array<{ content: unknown[] }>)[1]!.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'I should look it up.', signature: 'sig-bedrock-1' } } },
      { toolUse: { toolUseId: 'tooluse_r1', name: 'lookup', input: { q: 'y' } } },
    ]);
  });

  it('Anthropic client: an image goes up as image bytes', async () => {
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    await client.messages.create({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: 'What is this?' }] }] });
    expect((lastCall().body!.messages as Array<{ content: unknown[] }>)[0]!.content).toEqual([{ image: { format: 'png', source: { bytes: png } } }, { text: 'What is this?' }]);
  });

  it('Ollama client streams NDJSON from ConverseStream', async () => {
    const ollama = new Ollama({ host: harness.origin, headers: { authorization: `Bearer ${harness.token}` } });
    let text = '';
    let last;
    for await (const part of await ollama.chat({ model: 'llama3', messages: [{ role: 'user', content: 'Hi' }], stream: true })) {
      text += part.message.content;
      last = part;
    }
    expect(text).toBe('Hello from Bedrock');
    expect(last).toMatchObject({ done: true, prompt_eval_count: 17, eval_count: 6 });
    expect(lastCall().operation).toBe('converse-stream');
  });

  it('Gemini client (@google/genai): streamed text and a function call', async () => {
    const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin } });
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' })) text += chunk.text ?? '';
    expect(text).toBe('Hello from Bedrock');
    fake.enqueue(TOOL_SCRIPT);
    const answer = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Find x', config: { tools: [{ functionDeclarations: [{ name: 'lookup', parametersJsonSchema: { type: 'object' } }] }] } });
    expect(answer.functionCalls).toEqual([expect.objectContaining({ name: 'lookup', args: { q: 'x' } })]);
  });

  it('discovers the region\'s models from ListFoundationModels (signed): on-demand ids, inference profiles, embeddings', async () => {
    const models = await harness.gateway.control.refreshModels({ providerId: 'aws' });
    const ids = models.map((model) => model.model).sort();
    expect(ids).toEqual(['amazon.titan-embed-text-v2:0', 'anthropic.claude-3-5-haiku-20241022-v1:0', 'eu.anthropic.claude-sonnet-4-20250514-v1:0']);
    expect(models.find((model) => model.model.startsWith('amazon.'))!.metadata.capabilities).toEqual(['embedding']);
    const listing = fake.requests.filter((request) => request.operation === 'foundation-models').at(-1)!;
    expect([listing.auth, listing.region]).toEqual(['sigv4', 'eu-west-3']);
    // A discovered model answers by its provider/model address.
    const client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'aws/eu.anthropic.claude-sonnet-4-20250514-v1:0', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from Bedrock');
    expect(lastCall().model).toBe('eu.anthropic.claude-sonnet-4-20250514-v1:0');
  });
});

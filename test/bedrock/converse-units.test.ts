// Bedrock's pure parts: the event-stream frame splitter under AWS's codec (every split point, a
// damaged frame), the Converse body rules, key forms and the exception-name table.
import { describe, expect, it } from 'vitest';
import { createSignatureCache } from '../../src-proxy/canonical/signature-cache.ts';
import type { ChatRequest, StreamEvent, ThinkingPart } from '../../src-proxy/canonical/types.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { buildConverseBody } from '../../src-proxy/providers/bedrock/converse-request.ts';
import { bedrockSecrets, parseBedrockKey } from '../../src-proxy/providers/bedrock/credentials.ts';
import { codeOfBedrockException } from '../../src-proxy/providers/bedrock/errors.ts';
import { converseStreamEvents } from '../../src-proxy/providers/bedrock/event-stream.ts';
import { profilePrefix } from '../../src-proxy/providers/bedrock/models.ts';
import type { ResolvedTarget } from '../../src-proxy/providers/types.ts';
import { scriptFrames } from '../fixtures/fake-bedrock-upstream.ts';

const signatures = () => createSignatureCache<readonly ThinkingPart[]>();

async function collect(chunks: Buffer[]): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of converseStreamEvents((async function* () { yield* chunks; })(), signatures())) events.push(event);
  return events;
}

function target(model = 'anthropic.claude-3-5-haiku-20241022-v1:0'): ResolvedTarget {
  return { provider: { id: 'aws', kind: 'bedrock', name: 'aws', baseUrl: 'https://bedrock-runtime.amazonaws.com', headers: {}, enabled: true, options: {}, limits: {}, proxy: null, proxyPool: [], http2: false, lastError: null, createdAt: 0, updatedAt: 0, managedBy: null }, model, key: null };
}

function request(patch: Partial<ChatRequest>): ChatRequest {
  return { model: 'm', system: [], messages: [], stream: false, extra: {}, ...patch };
}

describe('ConverseStream decoding', () => {
  const bytes = Buffer.concat(scriptFrames({ content: [{ text: 'Hello there' }, { toolUse: { toolUseId: 't1', name: 'f', input: { a: 1 } } }], stopReason: 'tool_use' }).map((frame) => Buffer.from(frame)));

  it('gives the same events whatever the chunking: whole, byte by byte, and split at every 7th byte', async () => {
    const whole = await collect([bytes]);
    expect(whole.map((event) => event.type)).toEqual(['start', 'text_delta', 'text_delta', 'tool_call_start', 'tool_call_delta', 'tool_call_delta', 'tool_call_end', 'usage', 'finish']);
    expect(whole.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
    expect(await collect([...bytes].map((byte) => Buffer.from([byte])))).toEqual(whole);
    for (let split = 1; split < bytes.length; split += 7) expect(await collect([bytes.subarray(0, split), bytes.subarray(split)])).toEqual(whole);
  });

  it('refuses a frame whose checksum does not match, and a stream cut inside a frame', async () => {
    const damaged = Buffer.from(bytes);
    damaged[20] = damaged[20]! ^ 0xff;
    await expect(collect([damaged])).rejects.toMatchObject({ code: 'upstream_bad_response' });
    await expect(collect([bytes.subarray(0, bytes.length - 5)])).rejects.toMatchObject({ code: 'upstream_disconnected' });
  });

  it('turns an exception frame into an in-band error with the mapped code', async () => {
    const frames = scriptFrames({ content: [{ text: 'ab' }], exception: { type: 'throttlingException', message: 'Slow down' } });
    const events = await collect(frames.map((frame) => Buffer.from(frame)));
    expect(events.at(-1)).toEqual({ type: 'error', error: { code: 'upstream_rate_limited', message: 'Bedrock throttlingException: Slow down', status: 429 } });
  });
});

describe('Converse request body', () => {
  it('merges same-role neighbours, puts tool results first, skips blank text, sends documents as bytes', () => {
    const body = buildConverseBody(request({
      system: [{ type: 'text', text: 'Sys', cacheControl: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: '  ' }] },
        { role: 'user', content: [{ type: 'document', source: { kind: 'text', text: 'notes' }, title: 'my notes.txt' }] },
        { role: 'assistant', content: [{ type: 'thinking', text: 'foreign', signature: { provider: 'anthropic', value: 'x' } }, { type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":1}' }] },
        { role: 'user', content: [{ type: 'text', text: 'also' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'r' }], isError: true }] },
      ],
      stop: ['END', ' '],
      topK: 5,
    }), target(), { signatures: signatures() });
    expect(body).toEqual({
      system: [{ text: 'Sys' }, { cachePoint: { type: 'default' } }],
      messages: [
        { role: 'user', content: [{ text: 'one' }, { document: { format: 'txt', name: 'my notes txt', source: { bytes: Buffer.from('notes').toString('base64') } } }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'c1', name: 'f', input: { a: 1 } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'c1', content: [{ text: 'r' }], status: 'error' } }, { text: 'also' }] },
      ],
      inferenceConfig: { stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 5 },
    });
  });

  it('refuses image links (Bedrock takes bytes only) and foreign server tools', () => {
    expect(() => buildConverseBody(request({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }] }] }), target(), { signatures: signatures() })).toThrow(GatewayError);
    expect(() => buildConverseBody(request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], tools: [{ type: 'native', dialect: 'anthropic', name: 'web_search', raw: {} }] }), target(), { signatures: signatures() })).toThrow(/specific to anthropic/);
  });

  it('sends reasoning only to Claude, with a budget below maxTokens', () => {
    const notes: string[] = [];
    const claude = buildConverseBody(request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], reasoning: { effort: 'high' }, maxTokens: 10_000, temperature: 0.5 }), target(), { signatures: signatures() });
    expect([claude.additionalModelRequestFields, claude.inferenceConfig]).toEqual([{ thinking: { type: 'enabled', budget_tokens: 9_999 } }, { maxTokens: 10_000 }]);
    const nova = buildConverseBody(request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], reasoning: { effort: 'high' } }), target('amazon.nova-pro-v1:0'), { signatures: signatures(), note: (text) => notes.push(text) });
    expect(nova.additionalModelRequestFields).toBeUndefined();
    expect(notes.join()).toMatch(/only sent to Claude/);
  });
});

describe('Bedrock keys, names and regions', () => {
  it('reads the three key forms', () => {
    expect(parseBedrockKey('AKIAFAKEEXAMPLE12345:se/cr+et')).toEqual({ type: 'sigv4', credentials: { accessKeyId: 'AKIAFAKEEXAMPLE12345', secretAccessKey: 'se/cr+et' } });
    expect(parseBedrockKey('{"accessKeyId":"ASIAX","secretAccessKey":"s","sessionToken":"t"}')).toEqual({ type: 'sigv4', credentials: { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't' } });
    expect(parseBedrockKey('ABSKabcdef')).toEqual({ type: 'bearer', token: 'ABSKabcdef' });
    expect(() => parseBedrockKey('{"accessKeyId":"A"}')).toThrow(/secretAccessKey/);
    expect(bedrockSecrets('AKIAFAKEEXAMPLE12345:secret-part:token-part')).toEqual(['AKIAFAKEEXAMPLE12345:secret-part:token-part', 'secret-part', 'token-part']);
  });

  it.each([
    ['ThrottlingException', '', 'upstream_rate_limited'],
    ['throttlingException', '', 'upstream_rate_limited'],
    ['UnrecognizedClientException', '', 'upstream_auth_failed'],
    ['ExpiredTokenException', '', 'upstream_auth_failed'],
    ['AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: bedrock:InvokeModel', 'upstream_auth_failed'],
    ['AccessDeniedException', "You don't have access to the model with the specified model ID.", 'upstream_forbidden'],
    ['ResourceNotFoundException', '', 'model_not_found'],
    ['ModelTimeoutException', '', 'upstream_timeout'],
    ['SomethingNew', '', undefined],
  ])('%s %s → %s', (name, message, code) => {
    expect(codeOfBedrockException(name, message)).toBe(code);
  });

  it('names the inference-profile geography of a region', () => {
    expect(['us-east-1', 'eu-central-1', 'ap-northeast-1', 'us-gov-west-1'].map(profilePrefix)).toEqual(['us', 'eu', 'apac', 'us-gov']);
  });
});

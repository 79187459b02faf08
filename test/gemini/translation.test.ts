// Pure translation rules of the Gemini provider: canonical ⇄ Gemini wire, table by table.
import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message, StreamEvent } from '../../src-proxy/canonical/types.ts';
import { buildGeminiBody, thinkingConfig } from '../../src-proxy/wire/gemini/request.ts';
import { geminiApiRoot, geminiMethodUrl } from '../../src-proxy/providers/gemini/endpoint.ts';
import { GeminiChunkConverter, geminiResponseEvents, geminiStreamEvents } from '../../src-proxy/wire/gemini/events.ts';
import { mapGeminiFinishReason } from '../../src-proxy/wire/gemini/answer.ts';
import { createSignatureCache } from '../../src-proxy/canonical/signature-cache.ts';
import type { GeminiResponse } from '../../src-proxy/wire/gemini/types.ts';

const request = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', system: [], messages, stream: false, extra: {}, ...extra });
const context = () => ({ signatures: createSignatureCache<string>(), downloaded: new Map(), filesPrefix: 'https://g/v1beta/files/' });

async function* bytes(text: string) {
  yield Buffer.from(text);
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('Gemini endpoints', () => {
  it.each([
    ['https://generativelanguage.googleapis.com', 'https://generativelanguage.googleapis.com/v1beta'],
    ['https://generativelanguage.googleapis.com/', 'https://generativelanguage.googleapis.com/v1beta'],
    ['https://generativelanguage.googleapis.com/v1beta/', 'https://generativelanguage.googleapis.com/v1beta'],
    ['https://proxy.example/gemini/v1', 'https://proxy.example/gemini/v1'],
  ])('%s → API root %s', (base, root) => expect(geminiApiRoot(base)).toBe(root));

  it('puts the model in the path, streams with alt=sse and never carries a key in the URL', () => {
    expect(geminiMethodUrl('https://g', 'gemini-2.5-flash', 'streamGenerateContent')).toBe('https://g/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(geminiMethodUrl('https://g', 'tunedModels/my-tune', 'generateContent')).toBe('https://g/v1beta/tunedModels/my-tune:generateContent');
  });
});

describe('canonical request → Gemini body', () => {
  it('names tool results after their calls, merges consecutive ones in call order, and marks errors', () => {
    const body = buildGeminiBody(request([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [
        { type: 'tool_call', id: 'a', name: 'first', arguments: '{"x":1}' },
        { type: 'tool_call', id: 'b', name: 'second', arguments: '' },
      ] },
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'b', content: [{ type: 'text', text: 'boom' }], isError: true }] },
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'a', content: [{ type: 'text', text: 'ok' }] }] },
    ]), 'gemini-2.5-flash', context());
    expect((body.contents as unknown[])[2]).toEqual({ role: 'user', parts: [
      { functionResponse: { name: 'first', response: { output: 'ok' } } },
      { functionResponse: { name: 'second', response: { error: 'boom' } } },
    ] });
    expect((body.contents as Array<{ parts: unknown[] }>)[1]!.parts[1]).toEqual({ functionCall: { name: 'second', args: {} } });
  });

  it('refuses a tool result whose call is nowhere in the conversation (Gemini needs the name)', () => {
    expect(() => buildGeminiBody(request([{ role: 'tool', content: [{ type: 'tool_result', toolCallId: 'ghost', content: [] }] }]), 'g', context())).toThrow(/matches no tool call/);
  });

  it('keeps only Gemini-signed thinking, as thought parts with their signature', () => {
    const body = buildGeminiBody(request([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [
        { type: 'thinking', text: 'from claude', signature: { provider: 'anthropic', value: 'x' } },
        { type: 'thinking', text: 'mine', signature: { provider: 'gemini', value: 'sig' } },
        { type: 'text', text: 'answer' },
      ] },
    ]), 'g', context());
    expect((body.contents as Array<{ parts: unknown[] }>)[1]!.parts).toEqual([{ text: 'mine', thought: true, thoughtSignature: 'sig' }, { text: 'answer' }]);
  });

  it('refuses vendor-specific tools clearly', () => {
    expect(() => buildGeminiBody(request([{ role: 'user', content: [{ type: 'text', text: 'q' }] }], { tools: [{ type: 'native', dialect: 'anthropic', name: 'web_search', raw: {} }] }), 'g', context())).toThrow(/specific to anthropic/);
  });

  it.each([
    [{ effort: 'high' as const }, 'gemini-2.5-pro', { includeThoughts: true, thinkingBudget: 24576 }],
    [{ effort: 'low' as const }, 'gemini-3-pro-preview', { includeThoughts: true, thinkingLevel: 'low' }],
    [{ budgetTokens: 2048 }, 'gemini-2.5-flash', { includeThoughts: true, thinkingBudget: 2048 }],
    [{ enabled: false }, 'gemini-2.5-flash', { thinkingBudget: 0 }],
    [{ enabled: false }, 'gemini-3-pro-preview', { thinkingLevel: 'low' }],
  ])('reasoning %j on %s → thinkingConfig %j', (reasoning, model, expected) => expect(thinkingConfig(reasoning, model)).toEqual(expected));
});

describe('Gemini answers → canonical events', () => {
  it.each([
    ['STOP', 'stop'], ['MAX_TOKENS', 'length'], ['SAFETY', 'content_filter'], ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'], ['PROHIBITED_CONTENT', 'content_filter'], ['SPII', 'content_filter'], ['IMAGE_SAFETY', 'content_filter'], ['OTHER', 'stop'],
  ])('finish reason %s → %s', (raw, mapped) => expect(mapGeminiFinishReason(raw)).toBe(mapped));

  it('takes the last running usage total, never a sum, with thoughts counted as output', async () => {
    const sse = [
      { candidates: [{ content: { parts: [{ text: 'a' }] } }], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1, thoughtsTokenCount: 4 } },
      { candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 2, thoughtsTokenCount: 4, cachedContentTokenCount: 6 } },
    ].map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join('');
    const events = await collect(geminiStreamEvents(bytes(sse), createSignatureCache<string>()));
    expect(events.filter((event) => event.type === 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 10, outputTokens: 6, reasoningTokens: 4, cacheReadTokens: 6 } }]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('makes unique call ids, remembers their signatures, and infers tool_calls from a STOP', () => {
    const signatures = createSignatureCache<string>();
    const answer: GeminiResponse = { candidates: [{ content: { parts: [
      { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'S1' },
      { functionCall: { name: 'g' } },
    ] }, finishReason: 'STOP' }] };
    const events = geminiResponseEvents(answer, signatures);
    const starts = events.filter((event) => event.type === 'tool_call_start');
    expect(starts).toHaveLength(2);
    const [first, second] = starts as Array<{ id: string }>;
    expect(first!.id).not.toBe(second!.id);
    expect(signatures.recall(first!.id)).toBe('S1');
    expect(events).toContainEqual({ type: 'tool_call_end', index: 0, signature: { provider: 'gemini', value: 'S1' } });
    expect(events).toContainEqual({ type: 'tool_call_delta', index: 1, arguments: '{}' });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
    const again = geminiResponseEvents(answer, signatures).find((event) => event.type === 'tool_call_start') as { id: string };
    expect(again.id).not.toBe(first!.id);
  });

  it('keeps a Gemini call id when Gemini gives one', () => {
    const events = geminiResponseEvents({ candidates: [{ content: { parts: [{ functionCall: { id: 'gem-id-1', name: 'f', args: {} } }] }, finishReason: 'STOP' }] }, createSignatureCache<string>());
    expect(events).toContainEqual({ type: 'tool_call_start', index: 0, id: 'gem-id-1', name: 'f' });
  });

  it('turns thought parts into thinking with the signature closing the block', () => {
    const converter = new GeminiChunkConverter(createSignatureCache<string>());
    expect(converter.convert({ candidates: [{ content: { parts: [{ text: 'hmm', thought: true, thoughtSignature: 'T' }] } }] })).toEqual([
      { type: 'start', id: undefined, model: undefined },
      { type: 'thinking_delta', text: 'hmm' },
      { type: 'thinking_signature', signature: { provider: 'gemini', value: 'T' } },
    ]);
  });

  it('reports a MALFORMED_FUNCTION_CALL with nothing produced as an error, not an empty answer', () => {
    const events = geminiResponseEvents({ candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL' }] }, createSignatureCache<string>());
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error' } });
  });

  it('ends a stream that stops without a finish reason with an error', async () => {
    const sse = `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'a' }] } }] })}\n\n`;
    await expect(collect(geminiStreamEvents(bytes(sse), createSignatureCache<string>()))).rejects.toThrow(/without a finish reason/);
  });
});

/**
 * The client encoders write a plain text delta from a precomputed frame around its JSON string
 * (no chunk object per event): each such frame must be byte for byte what serialising the frame's
 * object writes, for texts that need escaping too, and the frames around them must stay as before
 * (the first chunk's role, a held Gemini chunk that ends the answer or meets an error).
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src-proxy/canonical/types.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { createAnthropicStreamEncoder } from '../../src-proxy/dialects/anthropic/render-stream.ts';
import { createChatChunkEncoder } from '../../src-proxy/dialects/openai/render-chat.ts';
import { createGeminiStreamEncoder } from '../../src-proxy/dialects/gemini/stream-encoder.ts';

const TEXTS = ['Hello', ' say "hi"', ' back\\slash', ' line\nbreak\ttab', ' é 日本 😀', ' \u2028\u0001', ' }]},"x":"', ' end'];
const texts = (): StreamEvent[] => TEXTS.map((text) => ({ type: 'text_delta', text }));

describe('text frames written from a template', () => {
  it('OpenAI chat chunks: every text chunk after the first is the serialised chunk', () => {
    for (const includeUsage of [true, false]) {
      const meta = { id: 'chatcmpl-1', model: 'm "q"', created: 1750000000, includeUsage };
      const encoder = createChatChunkEncoder(meta);
      const frames = [encoder.encode({ type: 'start' }), ...texts().map((event) => encoder.encode(event))];
      const chunk = (delta: Record<string, unknown>) =>
        `data: ${JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) })}\n\n`;
      expect(frames).toEqual([chunk({ role: 'assistant', content: '' }), ...TEXTS.map((content) => chunk({ content }))]);
      // Without a start event the first text still carries the role.
      const bare = createChatChunkEncoder(meta);
      expect(bare.encode({ type: 'text_delta', text: 'a' })).toBe(chunk({ role: 'assistant', content: 'a' }));
      expect(bare.encode({ type: 'text_delta', text: 'b' })).toBe(chunk({ content: 'b' }));
      expect(bare.encode({ type: 'text_delta', text: '' })).toBe('');
    }
  });

  it('Anthropic: text deltas of the live block are the serialised events, and blocks around them keep their order', () => {
    const encoder = createAnthropicStreamEncoder({ id: 'msg_1', model: 'm' });
    const sse = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    const delta = (index: number, text: string) => sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    const out = [
      encoder.encode({ type: 'start' }),
      ...texts().map((event) => encoder.encode(event)),
      encoder.encode({ type: 'tool_call_start', index: 0, id: 'c1', name: 'f' }),
      encoder.encode({ type: 'text_delta', text: 'after' }),
    ];
    expect(out[1]).toContain(delta(0, TEXTS[0]!));
    expect(out.slice(2, 1 + TEXTS.length)).toEqual(TEXTS.slice(1).map((text) => delta(0, text)));
    // A text after a tool call opens a new block (2) only once the tool's block (1) closes.
    expect(out.at(-1)).toBe('');
    const rest = encoder.encode({ type: 'tool_call_end', index: 0 }) + encoder.end();
    expect(rest.indexOf('"index":1')).toBeLessThan(rest.indexOf(delta(2, 'after')));
  });

  it('Gemini: a held text chunk goes out as the serialised chunk, ends the answer or precedes an error', () => {
    const meta = { model: 'gemini "m"', responseId: 'r1', includeThoughts: true };
    const chunk = (text: string) => JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0 }], modelVersion: meta.model, responseId: meta.responseId });
    const sse = createGeminiStreamEncoder(meta, 'sse');
    const frames = texts().map((event) => sse.encode(event));
    expect(frames).toEqual(['', ...TEXTS.slice(0, -1).map((text) => `data: ${chunk(text)}\r\n\r\n`)]);
    sse.encode({ type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } });
    sse.encode({ type: 'finish', reason: 'stop' });
    const last = JSON.parse(sse.end().replace(/^data: /, '')) as { candidates: Array<{ content: unknown; finishReason: string }>; usageMetadata: unknown };
    expect(last.candidates[0]).toEqual({ content: { role: 'model', parts: [{ text: ' end' }] }, index: 0, finishReason: 'STOP' });
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 4 });

    const array = createGeminiStreamEncoder(meta, 'array');
    const written = texts().map((event) => array.encode(event)).join('') + array.error(new GatewayError('upstream_error', 'gone'));
    expect(written.startsWith(`[${chunk(TEXTS[0]!)},\r\n${chunk(TEXTS[1]!)}`)).toBe(true);
    const parsed = JSON.parse(written) as unknown[];
    expect(parsed).toHaveLength(TEXTS.length + 1);
    expect(parsed[TEXTS.length - 1]).toEqual(JSON.parse(chunk(' end')));

    // A thought's signature after a held text is a part of its own, not put on the text.
    const signed = createGeminiStreamEncoder(meta, 'sse');
    signed.encode({ type: 'text_delta', text: 'plain' });
    const beforeSignature = signed.encode({ type: 'thinking_signature', signature: { provider: 'gemini', value: 'sig' } });
    expect(beforeSignature).toBe(`data: ${chunk('plain')}\r\n\r\n`);
  });
});

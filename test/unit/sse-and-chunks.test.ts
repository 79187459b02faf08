import { describe, expect, it } from 'vitest';
import { ChatAccumulator } from '../../src-proxy/canonical/accumulator.ts';
import { extractLastObject } from '../../src-proxy/wire/json-tail.ts';
import { OpenAiChunkConverter, openAiCompletionEvents } from '../../src-proxy/wire/openai/chat-events.ts';
import { decodeEmbedding, encodeEmbeddingBase64 } from '../../src-proxy/wire/openai/embeddings.ts';
import { parseSseEvent, SseFramer, SseTextFramer } from '../../src-proxy/upstream/sse-framer.ts';

/** The complete events a text framer finds in one chunk, in order. */
function framed(framer: SseTextFramer, chunk: Buffer): string[] {
  const events: string[] = [];
  framer.each(chunk, (event) => {
    events.push(event);
    return true;
  });
  return events;
}

describe('SSE framing', () => {
  it('yields only complete events across chunk boundaries and both separators', () => {
    const framer = new SseFramer();
    const out = [
      ...framer.push(Buffer.from('data: {"a":1}\n\nda')),
      ...framer.push(Buffer.from('ta: {"b":2}\r\n\r\nevent: x\ndata: y')),
      ...framer.push(Buffer.from('\n\n')),
    ].map((b) => b.toString());
    expect(out).toEqual(['data: {"a":1}\n\n', 'data: {"b":2}\r\n\r\n', 'event: x\ndata: y\n\n']);
    expect(framer.rest()).toBeNull();
    expect(parseSseEvent(out[2]!)).toEqual({ event: 'x', data: 'y' });
    expect(parseSseEvent(': ping\n\n')).toBeNull();
  });

  it('frames text the same way, with a character split between chunks and a last event without its blank line', () => {
    const body = Buffer.from('data: {"a":"日本"}\n\nevent: x\r\ndata: 😀\r\n\r\n: c\n\ndata: [DONE]\n');
    // Every cut of the body into two chunks, many of them inside a multi-byte character.
    for (let cut = 0; cut <= body.length; cut++) {
      const framer = new SseTextFramer();
      const out = [...framed(framer, body.subarray(0, cut)), ...framed(framer, body.subarray(cut))];
      expect(out).toEqual(['data: {"a":"日本"}\n\n', 'event: x\r\ndata: 😀\r\n\r\n', ': c\n\n']);
      expect(framer.rest()).toBe('data: [DONE]\n');
      expect(framer.rest()).toBeNull();
    }
    const bytes = new SseFramer();
    expect([...bytes.push(body)].map((b) => b.toString())).toEqual(framed(new SseTextFramer(), body));
  });
});

describe('OpenAI chunks → canonical events', () => {
  it('tolerates Azure-style empty first chunks, keeps tool-call indexes dense and reads usage from choice-less chunks', () => {
    const converter = new OpenAiChunkConverter();
    const acc = new ChatAccumulator();
    const feed = (chunk: Record<string, unknown>) => converter.convert(chunk).forEach((e) => acc.add(e));
    feed({ id: 'x', model: '', choices: [], prompt_filter_results: [] });
    feed({ choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'thinking…' } }] });
    feed({ choices: [{ index: 0, delta: { tool_calls: [{ index: 3, id: 'c1', function: { name: 'f', arguments: '{"a"' } }] } }] });
    feed({ choices: [{ index: 0, delta: { tool_calls: [{ index: 3, function: { arguments: ':1}' } }] } }] });
    feed({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
    feed({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 2 } } });
    converter.finish().forEach((e) => acc.add(e));
    const result = acc.result({ id: 'id', model: 'm' });
    expect(result.content).toEqual([
      { type: 'thinking', text: 'thinking…' },
      { type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":1}' },
    ]);
    expect(result.finishReason).toBe('tool_calls');
    expect(result.usage).toMatchObject({ inputTokens: 9, outputTokens: 4, cacheReadTokens: 2 });
  });

  it('turns a non-streaming completion into the same events', () => {
    const events = openAiCompletionEvents({ id: 'c', model: 'm', choices: [{ message: { content: 'hi' }, finish_reason: 'length' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const acc = new ChatAccumulator();
    events.forEach((e) => acc.add(e));
    expect(acc.result({ id: '', model: '' })).toMatchObject({ content: [{ type: 'text', text: 'hi' }], finishReason: 'length' });
  });
});

describe('usage tap on pass-through bodies', () => {
  it('finds the last usage object, ignoring braces inside strings', () => {
    const text = '{"choices":[{"message":{"content":"a } \\" usage {"}}],"usage":{"prompt_tokens":3,"completion_tokens":4}}';
    expect(extractLastObject(text, 'usage')).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
    expect(extractLastObject('{"x":1}', 'usage')).toBeUndefined();
  });
});

describe('embedding encodings', () => {
  it('round-trips base64 little-endian float32 as the OpenAI SDK expects', () => {
    const vector = [0.25, -1.5, 3];
    expect(decodeEmbedding(encodeEmbeddingBase64(vector))).toEqual(vector);
    expect(decodeEmbedding(vector)).toBe(vector);
  });
});

describe('OpenAI stream parsing edge cases', () => {
  it('reads one-line events without splitting and falls back for multi-line ones', async () => {
    const { singleLineSseData } = await import('../../src-proxy/upstream/event-queue.ts');
    expect(singleLineSseData('data: {"a":1}\n\n')).toBe('{"a":1}');
    expect(singleLineSseData('data:[DONE]\r\n\r\n')).toBe('[DONE]');
    expect(singleLineSseData('event: x\ndata: y\n\n')).toBeNull();
    expect(singleLineSseData('data: a\ndata: b\n\n')).toBeNull();
  });

  it('finishes an answer whose server ends on "data: [DONE]" without a blank line', async () => {
    const { openAiStreamEvents } = await import('../../src-proxy/wire/openai/chat-events.ts');
    const body = (async function* () {
      yield Buffer.from('data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"hi"}}]}\n\n');
      yield Buffer.from('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n');
    })();
    const acc = new ChatAccumulator();
    for await (const event of openAiStreamEvents(body)) acc.add(event);
    expect(acc.result({ id: '', model: '' })).toMatchObject({ content: [{ type: 'text', text: 'hi' }], finishReason: 'stop' });
  });
});

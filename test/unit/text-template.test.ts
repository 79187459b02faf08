/**
 * Text-delta frames read from a template (upstream/text-template.ts) must give exactly the
 * canonical events of parsing every frame whole: a corpus of OpenAI, Anthropic and Gemini streams
 * (tool calls, reasoning, usage, errors, escapes, changing fields, other JSON spellings), each fed
 * in chunks cut at every few bytes, against a reference that parses each frame on its own.
 *
 * The Gemini frames are written the way Google's servers write `streamGenerateContent?alt=sse`
 * (as seen in public captures of both the Gemini API and Vertex AI): `"key": value` with a space
 * after the colon, members and elements joined by a bare comma, CRLF CRLF after each event, the
 * running `usageMetadata` on every chunk; Vertex puts `role` before `parts` and adds `createTime`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../../src-proxy/canonical/types.ts';
import { createSignatureCache } from '../../src-proxy/canonical/signature-cache.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { parseSseEvent } from '../../src-proxy/upstream/sse-framer.ts';
import { TextTemplate } from '../../src-proxy/upstream/text-template.ts';
import { AnthropicEventConverter, anthropicStreamEvents } from '../../src-proxy/wire/anthropic/messages-events.ts';
import { OpenAiChunkConverter, openAiStreamEvents } from '../../src-proxy/wire/openai/chat-events.ts';
import { GeminiChunkConverter, geminiStreamEvents } from '../../src-proxy/wire/gemini/events.ts';
import type { GeminiResponse } from '../../src-proxy/wire/gemini/types.ts';

type Json = Record<string, unknown>;

const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1750000000,"model":"m"';
const chunk = (delta: string, rest = ',"finish_reason":null}]') => `data: ${head},"choices":[{"index":0,"delta":${delta}${rest}}\n\n`;
const text = (value: string) => chunk(`{"content":${JSON.stringify(value)}}`);
const texts = (n: number, of = (i: number) => ` word${i}`) => Array.from({ length: n }, (_, i) => text(of(i))).join('');
const role = chunk('{"role":"assistant","content":""}');
const stop = chunk('{}', ',"finish_reason":"stop"}]');
const done = 'data: [DONE]\n\n';

const OPENAI: Record<string, string> = {
  plain: role + texts(40) + stop + done,
  'usage chunk and usage:null on every chunk': [role, ...Array.from({ length: 10 }, (_, i) => text(`t${i}`))].map((f) => f.replace('}\n\n', ',"usage":null}\n\n')).join('') + stop + `data: ${head},"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9}}\n\n` + done,
  'escapes, quotes, unicode, backslashes, empty text': role + texts(12, (i) => ['say "hi"', 'back\\slash\\', 'line\nbreak', 'tab\t', 'é ü 日本 😀', '', '\\"', '}]},"x":"', '\u2028', '"', 'end\\', 'plain'][i]!) + stop + done,
  'reasoning then text then tool calls': role + chunk('{"reasoning_content":"hmm"}') + chunk('{"reasoning_content":" more"}') + texts(5) + chunk('{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":""}}]}') + chunk('{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]}') + texts(3) + chunk('{}', ',"finish_reason":"tool_calls"}]') + done,
  'reasoning:null beside content (DeepSeek)': role + texts(6, (i) => `r${i}`).replaceAll('{"content":', '{"reasoning_content":null,"content":') + stop + done,
  'refusal and reasoning strings beside content': role + texts(4) + chunk('{"content":"x","refusal":"no"}') + chunk('{"content":"y","reasoning":"why"}') + texts(4) + stop + done,
  'obfuscation field changing every chunk': role + Array.from({ length: 12 }, (_, i) => text(`o${i}`).replace('}\n\n', `,"obfuscation":"${'x'.repeat(i)}"}\n\n`)).join('') + stop + done,
  'error chunk mid-stream': role + texts(5) + `data: {"error":{"message":"overloaded"}}\n\n` + texts(3) + stop + done,
  'spaced JSON and ASCII-escaped text': role + Array.from({ length: 8 }, (_, i) => `data: {"choices": [{"index": 0, "delta": {"content": "caf\\u00e9 ${i}"}, "finish_reason": null}]}\n\n`).join('') + stop + done,
  'duplicate content keys': role + Array.from({ length: 6 }, (_, i) => chunk(`{"content":"a${i}","content":"b${i}"}`)).join('') + stop + done,
  'CRLF frames, comments and a second choice': role.replace('\n\n', '\r\n\r\n') + texts(4).replaceAll('\n\n', '\r\n\r\n') + ': keep-alive\n\n' + chunk('{"content":"c0"}', ',"finish_reason":null},{"index":1,"delta":{"content":"other"}}]') + texts(4) + stop + done,
  'no [DONE] after the finish': role + texts(8) + stop,
  'index missing and role on every chunk': role + Array.from({ length: 6 }, (_, i) => `data: {"choices":[{"delta":{"role":"assistant","content":"n${i}"}}]}\n\n`).join('') + stop + done,
};

/** The reference: every frame parsed whole, as the stream reader did before templates. */
function openAiReference(body: string): StreamEvent[] {
  const converter = new OpenAiChunkConverter();
  const events: StreamEvent[] = [];
  for (const frame of body.split(/(?<=\n\n|\r\n\r\n)/)) {
    const data = parseSseEvent(frame)?.data ?? '';
    if (data === '') continue;
    if (data === '[DONE]') break;
    let json: Json;
    try {
      json = JSON.parse(data) as Json;
    } catch {
      continue;
    }
    const out = converter.convert(json);
    events.push(...out);
    if (out.some((e) => e.type === 'error')) return events;
  }
  return [...events, ...converter.finish()];
}

const anthropicEvent = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const anthropicText = (index: number, value: string) => anthropicEvent('content_block_delta', { index, delta: { type: 'text_delta', text: value } });
const messageStart = anthropicEvent('message_start', { message: { id: 'msg_1', model: 'm', content: [], usage: { input_tokens: 5, output_tokens: 1 } } });
const messageEnd = anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }) + anthropicEvent('message_stop', {});

const ANTHROPIC: Record<string, string> = {
  plain: messageStart + anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + Array.from({ length: 30 }, (_, i) => anthropicText(0, ` w${i} "q" \\ é`)).join('') + anthropicEvent('content_block_stop', { index: 0 }) + messageEnd,
  'thinking, text, tool use, text again, pings': messageStart
    + anthropicEvent('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } })
    + anthropicEvent('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'let me see' } })
    + anthropicEvent('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'sig' } })
    + anthropicEvent('content_block_stop', { index: 0 })
    + anthropicEvent('content_block_start', { index: 1, content_block: { type: 'text', text: '' } })
    + Array.from({ length: 6 }, (_, i) => anthropicText(1, `a${i}`)).join('') + anthropicEvent('ping', {})
    + anthropicEvent('content_block_stop', { index: 1 })
    + anthropicEvent('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } })
    + anthropicEvent('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":' } })
    + anthropicEvent('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '1}' } })
    + anthropicEvent('content_block_stop', { index: 2 })
    + anthropicEvent('content_block_start', { index: 3, content_block: { type: 'text', text: '' } })
    + Array.from({ length: 6 }, (_, i) => anthropicText(3, `b${i}`)).join('')
    + anthropicEvent('content_block_stop', { index: 3 }) + messageEnd,
  'error event mid-stream': messageStart + Array.from({ length: 5 }, (_, i) => anthropicText(0, `e${i}`)).join('') + anthropicEvent('error', { error: { type: 'overloaded_error', message: 'busy' } }) + anthropicText(0, 'late'),
};

function anthropicReference(body: string): StreamEvent[] {
  const converter = new AnthropicEventConverter(createSignatureCache(4));
  const events: StreamEvent[] = [];
  for (const frame of body.split(/(?<=\n\n)/)) {
    const data = parseSseEvent(frame)?.data ?? '';
    if (data === '') continue;
    const out = converter.convert(JSON.parse(data) as Json);
    events.push(...out);
    if (out.some((e) => e.type === 'error') || converter.stopped) return events;
  }
  return events;
}

// Gemini API: parts before role, the index, a usage whose counts grow, modelVersion and responseId.
const apiUsage = (n: number) => `{"promptTokenCount": 9,"candidatesTokenCount": ${n},"totalTokenCount": ${40 + n},"promptTokensDetails": [{"modality": "TEXT","tokenCount": 9}],"thoughtsTokenCount": 31}`;
const apiChunk = (parts: string, usage: string | null, finish = '') =>
  `data: {"candidates": [{"content": {"parts": [${parts}],"role": "model"}${finish},"index": 0}]${usage === null ? '' : `,"usageMetadata": ${usage}`},"modelVersion": "gemini-2.5-flash","responseId": "tQ8sZa1bN4yW2lPq7cKd0Qe"}\r\n\r\n`;
const geminiText = (value: string) => `{"text": ${JSON.stringify(value)}}`;
const apiTexts = (n: number, of = (i: number) => ` word${i}`, from = 0) => Array.from({ length: n }, (_, i) => apiChunk(geminiText(of(i)), apiUsage(from + i + 1))).join('');
const apiStop = (n: number) => apiChunk(geminiText('.'), apiUsage(n), ',"finishReason": "STOP"');
// Vertex AI: role before parts, no index, usage only counted on the last chunk, createTime.
const vertexChunk = (parts: string, usage: string, finish = '') =>
  `data: {"candidates": [{"content": {"role": "model","parts": [${parts}]}${finish}}],"usageMetadata": ${usage},"modelVersion": "gemini-2.5-flash","createTime": "2026-11-30T08:15:02.114233Z","responseId": "mQ4uY9r2Lq6Bt0sPz8e1kAw"}\r\n\r\n`;
const onDemand = '{"trafficType": "ON_DEMAND"}';

const GEMINI: Record<string, string> = {
  'Gemini API: text chunks with a running usage': apiTexts(40) + apiStop(41),
  'Vertex AI: role before parts, the same usage until the last chunk': Array.from({ length: 20 }, (_, i) => vertexChunk(geminiText(`v${i} `), onDemand)).join('')
    + vertexChunk(geminiText(''), '{"promptTokenCount": 28,"candidatesTokenCount": 20,"totalTokenCount": 48,"trafficType": "ON_DEMAND"}', ',"finishReason": "MAX_TOKENS"'),
  'compact JSON, as JSON.stringify writes it': Array.from({ length: 20 }, (_, i) => `data: ${JSON.stringify({ candidates: [{ index: 0, content: { role: 'model', parts: [{ text: ` c${i}` }] }, ...(i === 19 ? { finishReason: 'STOP' } : {}) }], usageMetadata: { promptTokenCount: 12, candidatesTokenCount: i + 1, totalTokenCount: 13 + i } })}\r\n\r\n`).join(''),
  'thoughts, then text with escapes, quotes and the bytes around the slots': apiChunk('{"text": "Thinking it over.","thought": true}', apiUsage(0)) + apiChunk('{"text": " Still thinking.","thought": true}', apiUsage(0))
    + apiTexts(14, (i) => ['say "hi"', 'back\\slash\\', 'line\nbreak', '日本 😀', '', '"}],"role": "model"},"index": 0}],"usageMetadata": {', '\\"', 'end\\', 'plain', '\u2028', '}', '{"a": 1}', ',"usageMetadata": {"promptTokenCount": 1}', 'last'][i]!)
    + apiChunk('{"text": "a \\u003cb\\u003e \\u0026 c"}', apiUsage(15)) + apiChunk(geminiText('again'), apiUsage(16)) + apiStop(17),
  'a function call, text after it, two parts in one chunk, a signed text part': apiTexts(4)
    + apiChunk('{"functionCall": {"name": "lookup","args": {"q": "x"}},"thoughtSignature": "c2lnbmVk"}', apiUsage(5))
    + apiTexts(3, (i) => ` after${i}`, 5) + apiChunk(`${geminiText('one')},${geminiText('two')}`, apiUsage(9))
    + apiChunk('{"text": " signed","thoughtSignature": "c2ln"}', apiUsage(10)) + apiTexts(3, (i) => ` tail${i}`, 10) + apiStop(14),
  'usage missing on some chunks, null on one, and its fields changing': apiTexts(3) + apiChunk(geminiText(' bare'), null) + apiChunk(geminiText(' bare2'), null)
    + apiChunk(geminiText(' nulled'), 'null') + apiTexts(3, (i) => ` u${i}`, 4) + apiChunk(geminiText(' few'), '{"promptTokenCount": 9}')
    + apiChunk(geminiText(' nested'), '{"promptTokenCount": 9,"cacheTokensDetails": [{"modality": "TEXT","tokenCount": 2}],"candidatesTokenCount": 11}') + apiStop(12),
  'a finishing chunk without usage: the last text chunk\'s usage is the answer\'s': apiTexts(12) + apiChunk(geminiText(''), null, ',"finishReason": "STOP"'),
  'an error chunk mid-stream': apiTexts(5) + 'data: {"error": {"code": 503,"message": "The model is overloaded.","status": "UNAVAILABLE"}}\r\n\r\n' + apiTexts(2),
  'cut before any finish reason': apiTexts(6),
  'LF-only events and a second candidate': apiTexts(4).replaceAll('\r\n\r\n', '\n\n') + apiTexts(3).replaceAll('"index": 0}]', '"index": 0},{"content": {"parts": [{"text": "other"}],"role": "model"},"index": 1}]') + apiStop(8),
};

/** The reference for Gemini: every frame parsed whole; the stream ends at EOF and needs a finish reason. */
function geminiReference(body: string): StreamEvent[] | string {
  const converter = new GeminiChunkConverter(createSignatureCache(4));
  const events: StreamEvent[] = [];
  for (const frame of body.split(/(?<=\n\n|\r\n\r\n)/)) {
    const data = parseSseEvent(frame)?.data ?? '';
    if (data === '') continue;
    const out = converter.convert(JSON.parse(data) as GeminiResponse);
    events.push(...out);
    if (out.some((e) => e.type === 'error')) return events;
  }
  if (!converter.sawFinish) return `thrown: ${new GatewayError('upstream_disconnected', 'The Gemini stream ended without a finish reason').message}`;
  return [...events, ...converter.finish()];
}

/** Gemini tool-call ids carry a random per-answer prefix: compared as their position. */
function sameIds(events: StreamEvent[] | string): StreamEvent[] | string {
  if (typeof events === 'string') return events;
  return events.map((event) => (event.type === 'tool_call_start' ? { ...event, id: event.id.replace(/^call_.*_(\d+)$/, 'call_$1') } : event));
}

/** The body in chunks of `size` bytes (cutting frames and multi-byte characters anywhere). */
async function* chunks(body: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(body);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[] | string> {
  const out: StreamEvent[] = [];
  try {
    for await (const event of events) out.push(event);
  } catch (error) {
    return `thrown: ${(error as Error).message}`;
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('text-delta frames read from a template', () => {
  for (const [name, body] of Object.entries(OPENAI)) {
    it(`OpenAI: ${name} — the same events as parsing every frame`, async () => {
      const expected = openAiReference(body);
      for (const size of [1, 7, 64, body.length]) expect(await collect(openAiStreamEvents(chunks(body, size)))).toEqual(expected);
    });
  }

  for (const [name, body] of Object.entries(ANTHROPIC)) {
    it(`Anthropic: ${name} — the same events as parsing every frame`, async () => {
      const expected = anthropicReference(body);
      for (const size of [1, 13, body.length]) expect(await collect(anthropicStreamEvents(chunks(body, size), createSignatureCache(4)))).toEqual(expected);
    });
  }

  for (const [name, body] of Object.entries(GEMINI)) {
    it(`Gemini: ${name} — the same events as parsing every frame`, async () => {
      const expected = sameIds(geminiReference(body));
      for (const size of [1, 11, 64, body.length]) expect(sameIds(await collect(geminiStreamEvents(chunks(body, size), createSignatureCache(4))))).toEqual(expected);
    });
  }

  it('a Gemini stream parses only its usage objects after the first text chunks, in the spacing Google writes', async () => {
    for (const body of [GEMINI['Gemini API: text chunks with a running usage']!, GEMINI['Vertex AI: role before parts, the same usage until the last chunk']!]) {
      const expected = geminiReference(body);
      const parse = vi.spyOn(JSON, 'parse');
      expect(await collect(geminiStreamEvents(chunks(body, 4096), createSignatureCache(4)))).toEqual(expected);
      // The first chunk (it opens the answer), the second (parsed, then the template learned and
      // probed), the last (it finishes); every other chunk only has its usage object parsed.
      expect(parse.mock.calls.filter(([text]) => String(text).startsWith('{"candidates"')).length).toBeLessThanOrEqual(4);
      expect(parse.mock.calls.filter(([text]) => /^\{"(promptTokenCount|trafficType)"/.test(String(text))).length).toBeGreaterThanOrEqual(18);
      parse.mockRestore();
    }
  });

  it('a side slot is learned only where the probe reads the field back, and takes the object of every matched frame', () => {
    const taken: unknown[] = [];
    const textOnly = (json: Json) => (typeof json.t === 'string' ? json.t : undefined);
    const template = new TextTemplate(textOnly, { key: 'u', take: (value) => taken.push(value) });
    template.learn('data: {"t": "x","u": {"n": 1},"m": "k"}\r\n\r\n', '{"t": "x","u": {"n": 1},"m": "k"}', { t: 'x', u: { n: 1 }, m: 'k' });
    expect(template.match('data: {"t": "a \\"b\\" c","u": {"n": 2,"d": [{"x": "}"}]},"m": "k"}\r\n\r\n')).toBe('a "b" c');
    expect(template.match('data: {"t": "y","u": {"n": 3},"m": "other"}\r\n\r\n')).toBeUndefined();
    expect(template.match('data: {"t": "y","v": 1,"u": {"n": 3},"m": "k"}\r\n\r\n')).toBeUndefined();
    expect(template.match('data: {"t": "y","u": {"n": 3},"x": {"n": 4},"m": "k"}\r\n\r\n')).toBeUndefined();
    expect(template.match('data: {"t": "y","u": {"n": 3}} ,"m": "k"}\r\n\r\n')).toBeUndefined();
    expect(template.match('data: {"t": "y","u": [1],"m": "k"}\r\n\r\n')).toBeUndefined();
    expect(template.match('data: {"t": "","u": {},"m": "k"}\r\n\r\n')).toBe('');
    expect(taken).toEqual([{ n: 2, d: [{ x: '}' }] }, {}]);
    // The side field nested elsewhere is not the top-level one: nothing is learned.
    const nested = new TextTemplate(textOnly, { key: 'u', take: (value) => taken.push(value) });
    nested.learn('data: {"t": "x","w": {"u": {"n": 1}},"u": {"n": 1}}\n\n', '{"t": "x","w": {"u": {"n": 1}},"u": {"n": 1}}', { t: 'x', w: { u: { n: 1 } }, u: { n: 1 } });
    expect(nested.match('data: {"t": "y","w": {"u": {"n": 1}},"u": {"n": 5}}\n\n')).toBe('y');
    expect(nested.match('data: {"t": "y","w": {"u": {"n": 2}},"u": {"n": 5}}\n\n')).toBeUndefined();
    // The side field before the text: no template.
    const before = new TextTemplate(textOnly, { key: 'u', take: (value) => taken.push(value) });
    before.learn('data: {"u": {"n": 1},"t": "x"}\n\n', '{"u": {"n": 1},"t": "x"}', { u: { n: 1 }, t: 'x' });
    expect(before.match('data: {"u": {"n": 1},"t": "y"}\n\n')).toBeUndefined();
  });

  it('parses only the frames around the text: a 40-delta OpenAI stream parses a handful of frames whole', async () => {
    const expected = openAiReference(OPENAI.plain!);
    const parse = vi.spyOn(JSON, 'parse');
    const events = await collect(openAiStreamEvents(chunks(OPENAI.plain!, 4096)));
    expect(events).toEqual(expected);
    // The role chunk, the first text chunk (parsed, then its template checked), the finish.
    const wholeFrames = parse.mock.calls.filter(([text]) => String(text).startsWith('{')).length;
    expect(wholeFrames).toBeLessThanOrEqual(4);
    // A text token with nothing to unescape is read without JSON.parse (the escapes corpus above covers the rest).
    expect(parse.mock.calls.length).toBeLessThanOrEqual(8);
  });

  it('an Anthropic stream parses its text deltas from the template too', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    await collect(anthropicStreamEvents(chunks(ANTHROPIC.plain!, 4096), createSignatureCache(4)));
    expect(parse.mock.calls.filter(([text]) => String(text).startsWith('{')).length).toBeLessThanOrEqual(8);
  });

  it('learns nothing from a frame whose slot is not the text, and gives up after a few tries', () => {
    const template = new TextTemplate((json) => (typeof json.t === 'string' ? json.t : undefined));
    // The text also appears earlier, as another field: the probe finds the real slot or none.
    template.learn('data: {"t":"x","u":"x"}\n\n', '{"t":"x","u":"x"}', { t: 'x', u: 'x' });
    expect(template.match('data: {"t":"x","u":"y"}\n\n')).toBeUndefined();
    expect(template.match('data: {"t":"y","u":"x"}\n\n')).toBeUndefined();
    const fresh = new TextTemplate((json) => (typeof json.t === 'string' ? json.t : undefined));
    fresh.learn('data: {"u":1,"t":"x"}\n\n', '{"u":1,"t":"x"}', { u: 1, t: 'x' });
    expect(fresh.match('data: {"u":1,"t":"a \\"b\\" c"}\n\n')).toBe('a "b" c');
    expect(fresh.match('data: {"u":1,"t":"a","v":"b"}\n\n')).toBeUndefined();
    expect(fresh.match('data: {"u":1,"t":"a" "b"}\n\n')).toBeUndefined();
    expect(fresh.match('data: {"u":2,"t":"a"}\n\n')).toBeUndefined();
    const stubborn = new TextTemplate(() => 'not in the frame');
    for (let i = 0; i < 10; i++) stubborn.learn(`data: {"n":${i}}\n\n`, `{"n":${i}}`, { n: i });
    expect(stubborn.match('data: {"n":1}\n\n')).toBeUndefined();
  });
});

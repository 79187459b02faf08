import { describe, expect, it } from 'vitest';
import { collectResponse } from '../../src-proxy/canonical/accumulator.ts';
import type { ChatRequest, StreamEvent } from '../../src-proxy/canonical/types.ts';
import { parseOllamaChatRequest } from '../../src-proxy/dialects/ollama/parse-chat.ts';
import { AnswerTiming, createOllamaEncoder, renderOllamaResponse } from '../../src-proxy/dialects/ollama/render.ts';
import { ollamaResponseEvents, ollamaStreamEvents } from '../../src-proxy/providers/ollama/chat-events.ts';
import { buildOllamaChatBody } from '../../src-proxy/providers/ollama/chat-request.ts';
import type { ResolvedTarget } from '../../src-proxy/providers/types.ts';

const target = {
  provider: { id: 'local', kind: 'ollama', name: 'local', baseUrl: 'http://127.0.0.1:11434', headers: {}, enabled: true },
  model: 'qwen3:8b',
  key: null,
  metadata: { contextWindow: 40_960, capabilities: ['completion', 'tools', 'thinking'] },
} as unknown as ResolvedTarget;

function request(partial: Partial<ChatRequest>): ChatRequest {
  return { model: 'm', system: [], messages: [], stream: false, extra: {}, ...partial };
}

async function* from(lines: string[]): AsyncGenerator<Buffer> {
  for (const line of lines) yield Buffer.from(line);
}

function encodeAll(events: StreamEvent[]): Array<Record<string, unknown>> {
  const encoder = createOllamaEncoder({ model: 'coder', endpoint: 'chat', timing: new AnswerTiming() });
  const text = events.map((event) => encoder.encode(event)).join('') + encoder.end();
  return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Ollama client requests → canonical', () => {
  it('turns object arguments into JSON text and keeps arguments a client already stringified', () => {
    const parsed = parseOllamaChatRequest({
      model: 'm',
      messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'a', arguments: { x: 1, nested: { y: [true] } } } }, { function: { name: 'b', arguments: '{"z":"s"}' } }] }],
    });
    const calls = parsed.messages[0]!.content;
    expect(calls).toEqual([
      { type: 'tool_call', id: 'call_0', name: 'a', arguments: '{"x":1,"nested":{"y":[true]}}' },
      { type: 'tool_call', id: 'call_1', name: 'b', arguments: '{"z":"s"}' },
    ]);
  });

  it('gives id-less calls ids that are stable across turns and matches results by id, then name, then order', () => {
    const messages = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'a', arguments: {} } }] },
      { role: 'tool', content: 'ra' },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'b', arguments: {} } }, { function: { name: 'c', arguments: {} } }, { id: 'own', function: { name: 'd', arguments: {} } }] },
      { role: 'tool', content: 'rc', tool_name: 'c' },
      { role: 'tool', content: 'rd', tool_call_id: 'own' },
      { role: 'tool', content: 'rb' },
    ];
    const first = parseOllamaChatRequest({ model: 'm', messages });
    const results = first.messages.filter((message) => message.role === 'tool').map((message) => message.content[0]);
    expect(results.map((result) => [result!.toolCallId, result!.name, (result!.content[0] as { text: string }).text])).toEqual([
      ['call_0', 'a', 'ra'],
      ['call_2', 'c', 'rc'],
      ['own', 'd', 'rd'],
      ['call_1', 'b', 'rb'],
    ]);
    // The next turn replays the same history: the same ids again.
    const second = parseOllamaChatRequest({ model: 'm', messages: [...messages, { role: 'user', content: 'more' }] });
    expect(JSON.stringify(second.messages.slice(0, first.messages.length))).toBe(JSON.stringify(first.messages));
  });

  it('maps options, format, think and images; keeps unmapped options for an Ollama upstream', () => {
    const parsed = parseOllamaChatRequest({
      model: 'm',
      messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'look', images: ['/9j/4AAQ'] }],
      options: { num_predict: -1, num_ctx: 8192, temperature: 0, stop: 'x', min_p: 0.1, repeat_penalty: 1.1 },
      format: 'json',
      think: 'low',
      keep_alive: '5m',
    });
    expect(parsed).toMatchObject({
      system: [{ type: 'text', text: 'S' }],
      contextWindow: 8192,
      temperature: 0,
      stop: ['x'],
      responseFormat: { type: 'json' },
      reasoning: { enabled: true, effort: 'low' },
      stream: true,
      extra: { ollama: { options: { min_p: 0.1, repeat_penalty: 1.1 } } },
    });
    expect(parsed.maxTokens).toBeUndefined();
    expect(parsed.messages[0]!.content[1]).toEqual({ type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' } });
  });

  it('rejects malformed fields naming the field', () => {
    expect(() => parseOllamaChatRequest({ model: 'm', messages: [], format: 'xml' })).toThrow(/format/);
    expect(() => parseOllamaChatRequest({ model: 'm', messages: [], options: { temperature: 'hot' } })).toThrow(/options.temperature/);
    expect(() => parseOllamaChatRequest({ model: 'm', messages: [{ role: 'wizard', content: '' }] })).toThrow(/role/);
  });
});

describe('canonical answers → Ollama NDJSON', () => {
  it('sends several tool calls whole in one line with object arguments, and done_reason "stop"', () => {
    const lines = encodeAll([
      { type: 'start' },
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'a' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'b' },
      { type: 'tool_call_delta', index: 0, arguments: '{"x":' },
      { type: 'tool_call_delta', index: 1, arguments: '{}' },
      { type: 'tool_call_delta', index: 0, arguments: '1}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(lines).toHaveLength(2);
    expect((lines[0]!.message as Record<string, unknown>).tool_calls).toEqual([
      { id: 'call_a', function: { index: 0, name: 'a', arguments: { x: 1 } } },
      { id: 'call_b', function: { index: 1, name: 'b', arguments: {} } },
    ]);
    expect(lines[1]).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 4, message: { role: 'assistant', content: '' } });
  });

  it('keeps text and thinking in order and reports "length" at the token limit', () => {
    const lines = encodeAll([
      { type: 'thinking_delta', text: 'hm' },
      { type: 'text_delta', text: 'A' },
      { type: 'text_delta', text: '' },
      { type: 'finish', reason: 'length' },
    ]);
    expect(lines.map((line) => line.message)).toEqual([
      { role: 'assistant', content: '', thinking: 'hm' },
      { role: 'assistant', content: 'A' },
      { role: 'assistant', content: '' },
    ]);
    expect(lines.at(-1)!.done_reason).toBe('length');
  });

  it('renders a non-streaming answer with tool calls as objects', () => {
    const rendered = renderOllamaResponse(
      { id: 'x', model: 'm', content: [{ type: 'text', text: 'ok' }, { type: 'tool_call', id: 'c', name: 'n', arguments: '{"a"' }], finishReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 2 } },
      { model: 'coder', endpoint: 'chat', timing: new AnswerTiming() },
    );
    // Truncated JSON (a max-tokens cut) still yields an object.
    expect(rendered).toMatchObject({ model: 'coder', message: { content: 'ok', tool_calls: [{ id: 'c', function: { index: 0, name: 'n', arguments: { _raw: '{"a"' } } }] }, done_reason: 'stop' });
  });
});

describe('Ollama upstream answers → canonical', () => {
  it('gives id-less tool calls call_<n> ids and infers the tool_calls finish reason from "stop"', async () => {
    const response = await collectResponse(
      ollamaStreamEvents(from([
        '{"model":"q","message":{"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"a","arguments":{"x":1}}},{"function":{"index":1,"name":"b","arguments":{}}}]},"done":false}\n{"model":"q","mess',
        'age":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":5,"eval_count":6}\n',
      ])),
      { id: 'x', model: 'q' },
    );
    expect(response.content).toEqual([
      { type: 'tool_call', id: 'call_0', name: 'a', arguments: '{"x":1}' },
      { type: 'tool_call', id: 'call_1', name: 'b', arguments: '{}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toMatchObject({ inputTokens: 5, outputTokens: 6 });
  });

  it('reports "length", counts absent zero values as 0, and fails a stream without its done line', async () => {
    const events = ollamaResponseEvents({ model: 'q', message: { role: 'assistant', content: 'cut' }, done: true, done_reason: 'length', eval_count: 3 });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 0, outputTokens: 3 } });
    await expect(collectResponse(ollamaStreamEvents(from(['{"model":"q","message":{"content":"a"},"done":false}\n'])), { id: 'x', model: 'q' })).rejects.toMatchObject({ code: 'upstream_disconnected' });
    await expect(collectResponse(ollamaStreamEvents(from(['{"error":"boom"}\n'])), { id: 'x', model: 'q' })).rejects.toThrow(/boom/);
  });
});

describe('canonical requests → Ollama /api/chat', () => {
  it('turns JSON-text arguments into objects, recovers tool_name from the call and always sends num_ctx', () => {
    const body = buildOllamaChatBody(
      request({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_call', id: 't1', name: 'lookup', arguments: '{"q":"x"}' }, { type: 'tool_call', id: 't2', name: 'other', arguments: '' }] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 't2', content: [{ type: 'text', text: 'r2' }] }] },
        ],
      }),
      target,
    );
    expect(body.messages).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ id: 't1', function: { index: 0, name: 'lookup', arguments: { q: 'x' } } }, { id: 't2', function: { index: 1, name: 'other', arguments: {} } }] },
      { role: 'tool', content: 'r2', tool_name: 'other', tool_call_id: 't2' },
    ]);
    expect(body.options).toEqual({ num_ctx: 40_960 });
    expect(buildOllamaChatBody(request({ contextWindow: 8192 }), target).options).toEqual({ num_ctx: 8192 });
  });

  it('sends think only to thinking models, honours tool_choice none, and refuses image links', () => {
    expect(buildOllamaChatBody(request({ reasoning: { effort: 'high' } }), target).think).toBe(true);
    const noThinking = { ...target, metadata: { capabilities: ['completion'] } } as unknown as ResolvedTarget;
    expect(buildOllamaChatBody(request({ reasoning: { effort: 'high' } }), noThinking)).not.toHaveProperty('think');
    expect(buildOllamaChatBody(request({ reasoning: { enabled: false } }), noThinking).think).toBe(false);
    const tools = [{ type: 'function' as const, name: 'f', parameters: {} }];
    expect(buildOllamaChatBody(request({ tools, toolChoice: { type: 'none' } }), target)).not.toHaveProperty('tools');
    expect(() => buildOllamaChatBody(request({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }] }), target)).toThrow(/base64/);
  });
});

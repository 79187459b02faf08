/**
 * The Anthropic SSE encoder alone: strict event order, sequential blocks even when the upstream
 * interleaves them, message_delta held to the end with the usage that arrived last.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src-proxy/canonical/types.ts';
import { createAnthropicStreamEncoder } from '../../src-proxy/dialects/anthropic/render-stream.ts';

function encode(events: StreamEvent[]): Array<{ event: string; data: Record<string, unknown> }> {
  const encoder = createAnthropicStreamEncoder({ id: 'msg_1', model: 'm' });
  const text = events.map((event) => encoder.encode(event)).join('') + encoder.end();
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [eventLine, dataLine] = chunk.split('\n');
      expect(eventLine).toMatch(/^event: /);
      const data = JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown>;
      expect(data.type).toBe(eventLine!.slice('event: '.length));
      return { event: eventLine!.slice('event: '.length), data };
    });
}

/** Checks start → deltas → stop per block, never overlapping, indexes 0..n-1. */
function expectSequentialBlocks(events: Array<{ event: string; data: Record<string, unknown> }>) {
  let open: number | null = null;
  let next = 0;
  for (const { event, data } of events) {
    if (event === 'content_block_start') {
      expect(open).toBeNull();
      expect(data.index).toBe(next);
      open = next++;
    } else if (event === 'content_block_delta') {
      expect(data.index).toBe(open);
    } else if (event === 'content_block_stop') {
      expect(data.index).toBe(open);
      open = null;
    }
  }
  expect(open).toBeNull();
}

describe('Anthropic stream encoder', () => {
  it('writes message_start, one block per kind in order, then message_delta and message_stop', () => {
    const out = encode([
      { type: 'start', id: 'x', model: 'y' },
      { type: 'thinking_delta', text: 'Hmm' },
      { type: 'thinking_signature', signature: { provider: 'anthropic', value: 'sig' } },
      { type: 'text_delta', text: 'Hi' },
      { type: 'text_delta', text: ' there' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 3 } },
    ]);
    expect(out.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    expect(out[1]!.data.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(out[3]!.data.delta).toEqual({ type: 'signature_delta', signature: 'sig' });
    expect(out.at(-2)!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 },
    });
    expectSequentialBlocks(out);
  });

  it('turns interleaved parallel tool-call fragments into sequential tool_use blocks', () => {
    const out = encode([
      { type: 'start' },
      { type: 'text_delta', text: 'Calling.' },
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'a' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'b' },
      { type: 'tool_call_delta', index: 0, arguments: '{"x":' },
      { type: 'tool_call_delta', index: 1, arguments: '{"y":' },
      { type: 'tool_call_delta', index: 0, arguments: '1}' },
      { type: 'tool_call_delta', index: 1, arguments: '2}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 12 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expectSequentialBlocks(out);
    const tools = out.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block);
    expect(tools).toEqual([
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'call_a', name: 'a', input: {} },
      { type: 'tool_use', id: 'call_b', name: 'b', input: {} },
    ]);
    const argsOf = (index: number) => out.filter((e) => e.event === 'content_block_delta' && e.data.index === index).map((e) => (e.data.delta as { partial_json: string }).partial_json).join('');
    expect(argsOf(1)).toBe('{"x":1}');
    expect(argsOf(2)).toBe('{"y":2}');
    expect((out.at(-2)!.data.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
  });

  it('subtracts cache tokens from input_tokens and maps the stop sequence', () => {
    const out = encode([
      { type: 'text_delta', text: 'a' },
      { type: 'usage', usage: { inputTokens: 100, outputTokens: 5, cacheReadTokens: 60, cacheWriteTokens: 10 } },
      { type: 'finish', reason: 'stop', stopSequence: '###' },
    ]);
    expect(out[0]!.event).toBe('message_start');
    expect(out.at(-2)!.data).toMatchObject({
      delta: { stop_reason: 'stop_sequence', stop_sequence: '###' },
      usage: { input_tokens: 30, cache_read_input_tokens: 60, cache_creation_input_tokens: 10, output_tokens: 5 },
    });
  });

  it('drops another vendor\'s signature and writes Anthropic redacted thinking as its own block', () => {
    const out = encode([
      { type: 'redacted_thinking', data: { provider: 'anthropic', value: 'opaque' } },
      { type: 'thinking_delta', text: 'x' },
      { type: 'thinking_signature', signature: { provider: 'gemini', value: 'g' } },
      { type: 'text_delta', text: 'y' },
      { type: 'finish', reason: 'stop' },
    ]);
    expectSequentialBlocks(out);
    expect(out.filter((e) => e.event === 'content_block_start').map((e) => (e.data.content_block as { type: string }).type)).toEqual(['redacted_thinking', 'thinking', 'text']);
    expect(JSON.stringify(out)).not.toContain('"g"');
  });
});

import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src-proxy/canonical/types.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { decodeEncryptedContent, encodeEncryptedContent } from '../../src-proxy/dialects/responses/encrypted-reasoning.ts';
import { ResponsesInputParser } from '../../src-proxy/dialects/responses/parse-input.ts';
import { createResponsesEncoder } from '../../src-proxy/dialects/responses/stream-encoder.ts';
import { parseSseEvents } from './sse-events.ts';

const meta = { id: 'resp_test', createdAt: 1_750_000_000, model: 'm', echo: {} };

function encode(events: StreamEvent[], finish: 'end' | GatewayError = 'end') {
  let kept: Record<string, unknown> | null = null;
  const encoder = createResponsesEncoder({ meta, naming: new Map(), onComplete: (response) => (kept = response) });
  let text = events.map((event) => encoder.encode(event)).join('');
  text += finish === 'end' ? encoder.end() : encoder.error(finish);
  return { events: parseSseEvents(text), kept: kept as Record<string, any> | null };
}

describe('the Responses stream encoder', () => {
  it('seals signed thinking from another vendor into encrypted_content that parses back to the same signature', () => {
    const { events, kept } = encode([
      { type: 'start' },
      { type: 'thinking_delta', text: 'Hmm.' },
      { type: 'thinking_signature', signature: { provider: 'anthropic', value: 'sig:with:colons' } },
      { type: 'redacted_thinking', data: { provider: 'anthropic', value: 'opaque' } },
      { type: 'text_delta', text: 'Hi' },
      { type: 'finish', reason: 'stop' },
    ]);
    const items = kept!.output as Array<Record<string, any>>;
    expect(items.map((item) => item.type)).toEqual(['reasoning', 'reasoning', 'message']);
    const parser = new ResponsesInputParser();
    parser.add([{ role: 'user', content: 'Q' }, ...items], 'input');
    expect(parser.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'Hmm.', signature: { provider: 'anthropic', value: 'sig:with:colons' } },
        { type: 'thinking', text: '', redacted: { provider: 'anthropic', value: 'opaque' } },
        { type: 'text', text: 'Hi' },
      ],
    });
    expect(events.filter((e) => e.event === 'response.output_item.added').map((e) => e.data.output_index)).toEqual([0, 1, 2]);
  });

  it('keeps OpenAI encrypted reasoning verbatim and ignores envelopes it cannot read', () => {
    expect(encodeEncryptedContent({ provider: 'openai', value: 'gAAAA' }, false)).toBe('gAAAA');
    const signing = (kind: string) => kind === 'openai' || kind === 'anthropic';
    expect(decodeEncryptedContent('gAAAA', signing)).toEqual({ signature: { provider: 'openai', value: 'gAAAA' } });
    expect(decodeEncryptedContent('swb1:anthropic:s:x', signing)).toEqual({ signature: { provider: 'anthropic', value: 'x' } });
    expect(decodeEncryptedContent('swb1:martian:s:x', signing)).toEqual({});
  });

  it('closes open tool calls before text that follows them, so items never interleave', () => {
    const { events } = encode([
      { type: 'tool_call_start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":1}' },
      { type: 'text_delta', text: 'after' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const perItem = events.filter((e) => 'output_index' in e.data).map((e) => `${e.data.output_index}:${e.event.replace('response.', '')}`);
    expect(perItem).toEqual([
      '0:output_item.added', '0:function_call_arguments.delta', '0:function_call_arguments.done', '0:output_item.done',
      '1:output_item.added', '1:content_part.added', '1:output_text.delta', '1:output_text.done', '1:content_part.done', '1:output_item.done',
    ]);
  });

  it('still opens the response before reporting a failure that came before any event, and does not keep it', () => {
    const { events, kept } = encode([], new GatewayError('upstream_rate_limited', 'Slow down', { retryAfterSeconds: 7 }));
    expect(events.map((e) => e.event)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
    expect(events[3]!.data.response.error).toEqual({ code: 'rate_limit_exceeded', message: expect.stringContaining('try again in 7s') });
    expect(kept).toBeNull();
  });

  it('reports a content filter as an incomplete response', () => {
    const { events, kept } = encode([{ type: 'text_delta', text: 'x' }, { type: 'finish', reason: 'content_filter' }]);
    expect(events.at(-1)!.event).toBe('response.incomplete');
    expect(kept).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });
  it('writes text events as JSON.stringify writes their objects, and the final response as the kept one (the text serialised once, reused)', () => {
    const texts = ['Hi "there"', ' \\ \n\t', 'é😀', '\u2028</script>'];
    let kept: Record<string, unknown> | null = null;
    let keptJson = '';
    const onComplete = (response: Record<string, unknown>, json: string) => {
      kept = response;
      keptJson = json;
    };
    const encoder = createResponsesEncoder({ meta: { ...meta, echo: { metadata: { output: [] } } }, naming: new Map(), onComplete });
    const events: StreamEvent[] = [
      { type: 'tool_call_start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool_call_end', index: 0 },
      ...texts.map((text): StreamEvent => ({ type: 'text_delta', text })),
      { type: 'thinking_delta', text: 'then' },
      { type: 'text_delta', text: 'second' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { type: 'finish', reason: 'stop' },
    ];
    const text = events.map((event) => encoder.encode(event)).join('') + encoder.end();
    const datas = text.split('\n\n').filter(Boolean).map((block) => block.split('\n')[1]!.slice('data: '.length));
    for (const data of datas) expect(data).toBe(JSON.stringify(JSON.parse(data)));
    const parsed = parseSseEvents(text);
    const done = parsed.filter((e) => e.event === 'response.output_text.done').map((e) => e.data.text);
    expect(done).toEqual([texts.join(''), 'second']);
    const completed = parsed.at(-1)!;
    expect(completed.event).toBe('response.completed');
    expect(completed.data.response).toEqual(kept);
    // The JSON handed to the store with it is what JSON.stringify writes for the object.
    expect(keptJson).toBe(JSON.stringify(kept));
    expect(completed.data.response.output.map((item: { type: string }) => item.type)).toEqual(['function_call', 'message', 'reasoning', 'message']);
    expect(completed.data.response.metadata).toEqual({ output: [] });
    const itemDone = parsed.filter((e) => e.event === 'response.output_item.done').map((e) => e.data.item);
    expect(completed.data.response.output).toEqual(itemDone);
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../../src-proxy/canonical/types.ts';
import { canonicalJson, findToolLoop, trailingToolRepeats } from '../../src-proxy/taps/tool-loops.ts';

const call = (id: string, args: string, name = 'read_file'): Message => ({ role: 'assistant', content: [{ type: 'tool_call', id, name, arguments: args }] });
const result = (id: string): Message => ({ role: 'tool', content: [{ type: 'tool_result', toolCallId: id, content: [{ type: 'text', text: 'ok' }] }] });
const request = (messages: Message[]): ChatRequest => ({ model: 'm', system: [], messages, stream: false, extra: {} });
const user: Message = { role: 'user', content: [{ type: 'text', text: 'Go' }] };

describe('tool-call loops', () => {
  it('counts the same call in a row, whatever the key order and spacing of its arguments', () => {
    const messages = [user, call('1', '{"path":"a.ts","lines":[1,2]}'), result('1'), call('2', '{ "lines": [1, 2], "path": "a.ts" }'), result('2'), call('3', '{"path":"a.ts","lines":[1,2]}'), result('3')];
    expect(trailingToolRepeats(messages)).toEqual({ call: 'read_file {"lines":[1,2],"path":"a.ts"}', count: 3 });
  });

  it('a user message or another call ends the streak; a last turn without a call has none', () => {
    expect(trailingToolRepeats([call('1', '{}'), result('1'), user, call('2', '{}'), result('2')])?.count).toBe(1);
    expect(trailingToolRepeats([call('1', '{"p":1}'), result('1'), call('2', '{"p":2}'), result('2')])?.count).toBe(1);
    expect(trailingToolRepeats([user, call('1', '{}'), result('1'), { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] }])).toBeNull();
  });

  it('parallel calls compare as a set', () => {
    const both = (id: string, flip: boolean): Message => ({
      role: 'assistant',
      content: [
        { type: 'tool_call', id: `${id}a`, name: flip ? 'ls' : 'cat', arguments: '{}' },
        { type: 'tool_call', id: `${id}b`, name: flip ? 'cat' : 'ls', arguments: '{}' },
      ],
    });
    expect(trailingToolRepeats([both('1', false), both('2', true)])).toEqual({ call: 'cat {} + ls {}', count: 2 });
  });

  it('modes: block at maxRepeats, chance_then_block one later, warn only records', () => {
    const messages = (n: number) => [user, ...Array.from({ length: n }, (_, i) => [call(String(i), '{"path":"a.ts"}'), result(String(i))]).flat()];
    expect(findToolLoop(request(messages(3)), { mode: 'block', maxRepeats: 4 })).toBeNull();
    expect(findToolLoop(request(messages(4)), { mode: 'block', maxRepeats: 4 })).toMatchObject({ kind: 'tool', count: 4, action: 'blocked' });
    expect(findToolLoop(request(messages(4)), { mode: 'chance_then_block', maxRepeats: 4 })?.action).toBe('allowed_once');
    expect(findToolLoop(request(messages(5)), { mode: 'chance_then_block', maxRepeats: 4 })?.action).toBe('blocked');
    expect(findToolLoop(request(messages(9)), { mode: 'warn', maxRepeats: 4 })?.action).toBe('warned');
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});

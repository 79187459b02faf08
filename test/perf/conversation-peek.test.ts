// @vitest-environment node
/**
 * The fast path's conversation peeks (dialects/*\/conversation-peek.ts) read the session seed and
 * the tool-call hint from the client's body without the canonical parse. Whatever a peek answers
 * must equal what the canonical request gives: the same conversation is one session whichever
 * path it takes, and a tool loop is never missed. The plain forms must be read by the peek (not
 * handed back to the canonical parse), or the fast path would pay for the parse after all.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src-proxy/canonical/types.ts';
import { anthropicConversationPeek } from '../../src-proxy/dialects/anthropic/conversation-peek.ts';
import { parseAnthropicRequest } from '../../src-proxy/dialects/anthropic/parse-request.ts';
import { openAiConversationPeek } from '../../src-proxy/dialects/openai/conversation-peek.ts';
import { parseOpenAiChatRequest } from '../../src-proxy/dialects/openai/parse-chat.ts';
import type { ConversationPeek } from '../../src-proxy/http/route-chat.ts';
import { sessionIdOf, sessionSeedOf } from '../../src-proxy/policy/session-id.ts';
import { trailingToolRepeats } from '../../src-proxy/taps/tool-loops.ts';

type Body = Record<string, unknown>;
interface Case {
  name: string;
  body: Body;
  /** The peek reads the seed itself (a plain form). */
  plain: boolean;
}

const call = (id: string) => ({ id, type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } });
const openAiCases: Case[] = [
  { name: 'one user message', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'Hello' }] } },
  { name: 'system, developer and text parts', plain: true, body: { model: 'm', messages: [{ role: 'system', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] }, { role: 'developer', content: 'D' }, { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] }, { role: 'system', content: null }] } },
  { name: 'a grown conversation', plain: true, body: { model: 'm', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'second' }] } },
  { name: 'no user message', plain: true, body: { model: 'm', messages: [{ role: 'system', content: 'S' }, { role: 'assistant', content: 'hi' }] } },
  { name: 'empty user parts', plain: true, body: { model: 'm', messages: [{ role: 'user', content: [] }] } },
  { name: 'an image in the first user message', plain: false, body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }] } },
  { name: 'user content null (the canonical reader refuses it)', plain: false, body: { model: 'm', messages: [{ role: 'user', content: null }] } },
  { name: 'ends in tool calls', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'go' }, ...[1, 2, 3, 4].flatMap((n) => [{ role: 'assistant', content: null, tool_calls: [call(`c${n}`)] }, { role: 'tool', tool_call_id: `c${n}`, content: 'same' }])] } },
  { name: 'ends in a tool result after other calls (a coding agent\'s turn)', plain: true, body: { model: 'm', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'go' }, ...[1, 2, 3].flatMap((n) => [{ role: 'assistant', content: null, tool_calls: [{ ...call(`c${n}`), function: { name: 'read_file', arguments: `{"path":"part-${n}.ts"}` } }] }, { role: 'tool', tool_call_id: `c${n}`, content: 'src' }])] } },
  { name: 'parallel calls in either order, arguments as text or an object, key order and spacing aside', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'go' },
    { role: 'assistant', content: 'reading', tool_calls: [{ id: 'a1', type: 'function', function: { name: 'grep', arguments: '{"q":"x","path":"src"}' } }, call('a2')] }, { role: 'tool', tool_call_id: 'a1', content: 'r' }, { role: 'tool', tool_call_id: 'a2', content: 'r' },
    { role: 'developer', content: 'between' },
    { role: 'assistant', content: null, tool_calls: [call('b2'), { id: 'b1', type: 'function', function: { name: 'grep', arguments: { path: 'src', q: 'x' } } }] }, { role: 'tool', tool_call_id: 'b1', content: 'r' }, { role: 'tool', tool_call_id: 'b2', content: 'r' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'grep', arguments: '{ "path": "src", "q": "x" }' } }, call('c2')] }, { role: 'tool', tool_call_id: 'c1', content: 'r' }, { role: 'tool', tool_call_id: 'c2', content: 'r' }] } },
  { name: 'legacy function_call turns and function results', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'go' }, ...[1, 2, 3, 4].flatMap(() => [{ role: 'assistant', content: null, function_call: { name: 'ls', arguments: '{}' } }, { role: 'function', name: 'ls', content: 'a b' }])] } },
  { name: 'a turn without arguments or with empty ones', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: { name: 'now' } }] }, { role: 'tool', tool_call_id: 'x', content: '1' }, { role: 'assistant', content: null, tool_calls: [{ id: 'y', type: 'function', function: { name: 'now', arguments: '' } }] }, { role: 'tool', tool_call_id: 'y', content: '2' }] } },
  { name: 'other calls between the same ones end the streak', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'go' }, ...[1, 2].flatMap((n) => [{ role: 'assistant', content: null, tool_calls: [call(`s${n}`)] }, { role: 'tool', tool_call_id: `s${n}`, content: 'r' }]), { role: 'assistant', content: null, tool_calls: [{ ...call('o'), function: { name: 'ls', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'o', content: 'r' }, ...[3, 4].flatMap((n) => [{ role: 'assistant', content: null, tool_calls: [call(`s${n}`)] }, { role: 'tool', tool_call_id: `s${n}`, content: 'r' }])] } },
  { name: 'ends in a user message after tool calls', plain: true, body: { model: 'm', messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [call('c1')] }, { role: 'tool', tool_call_id: 'c1', content: 'r' }, { role: 'user', content: 'stop' }, { role: 'system', content: 'late' }] } },
];

const toolUse = (id: string) => ({ type: 'tool_use', id, name: 'read_file', input: { path: 'a.ts' } });
const toolResult = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'same' });
const anthropicCases: Case[] = [
  { name: 'one user message', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Hello' }] } },
  { name: 'system blocks, system messages and text blocks', plain: true, body: { model: 'm', max_tokens: 10, system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'B' }], messages: [{ role: 'system', content: 'C' }, { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] }] } },
  { name: 'a system string', plain: true, body: { model: 'm', max_tokens: 10, system: 'S', messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'second' }] } },
  { name: 'first user message only tool results', plain: false, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [toolResult('t0')] }, { role: 'user', content: 'then' }] } },
  { name: 'empty first user message', plain: false, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [] }, { role: 'user', content: 'then' }] } },
  { name: 'an image', plain: false, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] }] } },
  { name: 'ends in tool results', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' }, ...[1, 2, 3, 4].flatMap((n) => [{ role: 'assistant', content: [toolUse(`t${n}`)] }, { role: 'user', content: [toolResult(`t${n}`)] }])] } },
  { name: 'ends in tool results and a user text', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: [toolUse('t1')] }, { role: 'user', content: [toolResult('t1'), { type: 'text', text: 'now stop' }] }] } },
  { name: 'ends in a tool result after other calls (Claude Code\'s turn)', plain: true, body: { model: 'm', max_tokens: 10, system: 'S', messages: [{ role: 'user', content: 'go' }, ...[1, 2, 3].flatMap((n) => [{ role: 'assistant', content: [{ type: 'text', text: 'reading' }, { type: 'tool_use', id: `t${n}`, name: 'Read', input: { file_path: `part-${n}.ts` } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${n}`, content: [{ type: 'text', text: 'src' }] }] }])] } },
  { name: 'parallel calls in either order, input keys in any order, thinking and system messages between', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' },
    { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }, { type: 'tool_use', id: 'a1', name: 'Grep', input: { pattern: 'x', path: 'src' } }, toolUse('a2')] }, { role: 'user', content: [toolResult('a1'), toolResult('a2')] },
    { role: 'system', content: 'between' },
    { role: 'assistant', content: [toolUse('b2'), { type: 'tool_use', id: 'b1', name: 'Grep', input: { path: 'src', pattern: 'x' } }] }, { role: 'user', content: [toolResult('b2'), toolResult('b1')] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'Grep', input: { path: 'src', pattern: 'x' } }, toolUse('c2')] }, { role: 'user', content: [toolResult('c1'), toolResult('c2')] }] } },
  { name: 'a call without input, an empty user message between', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 'now' }] }, { role: 'user', content: [toolResult('x')] }, { role: 'user', content: [] }, { role: 'assistant', content: [{ type: 'tool_use', id: 'y', name: 'now', input: {} }] }, { role: 'user', content: [toolResult('y')] }] } },
  { name: 'other calls between the same ones end the streak', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' }, ...[1, 2].flatMap((n) => [{ role: 'assistant', content: [toolUse(`s${n}`)] }, { role: 'user', content: [toolResult(`s${n}`)] }]), { role: 'assistant', content: [{ type: 'tool_use', id: 'o', name: 'Bash', input: { command: 'ls' } }] }, { role: 'user', content: [toolResult('o')] }, ...[3, 4].flatMap((n) => [{ role: 'assistant', content: [toolUse(`s${n}`)] }, { role: 'user', content: [toolResult(`s${n}`)] }])] } },
  { name: 'a text answer ends the streak', plain: true, body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: [toolUse('t1')] }, { role: 'user', content: [toolResult('t1')] }, { role: 'assistant', content: 'done' }, { role: 'user', content: [toolResult('t1')] }] } },
];

function check(name: string, cases: Case[], peekOf: (body: Body) => ConversationPeek, parse: (body: Body) => ChatRequest) {
  describe(`${name} conversation peek`, () => {
    for (const { name: caseName, body, plain } of cases) {
      it(`${caseName}: reads as the canonical request does`, () => {
        const peek = peekOf(body);
        let canonical: ChatRequest | null = null;
        try {
          canonical = parse(body);
        } catch {
          canonical = null;
        }
        const seed = peek.sessionSeed();
        if (plain) {
          expect(seed).not.toBeNull();
          expect(seed).toEqual(sessionSeedOf(canonical!));
        } else expect(seed).toBeNull();
        // "Cannot end in tool calls" must be true of the canonical conversation.
        if (canonical && !peek.mayEndInToolCalls()) expect(trailingToolRepeats(canonical.messages)).toBeNull();
        if (canonical && trailingToolRepeats(canonical.messages)) expect(peek.mayEndInToolCalls()).toBe(true);
        // A repeat count the peek gives is the canonical request's: a loop is never missed, and none made up.
        const repeats = peek.toolCallRepeats?.() ?? null;
        if (canonical && repeats !== null) expect(repeats).toBe(trailingToolRepeats(canonical.messages)?.count ?? 0);
      });
    }
    it('skips the tool-loop check when the user spoke last', () => {
      expect(peekOf(cases[0]!.body).mayEndInToolCalls()).toBe(false);
      expect(peekOf(cases.find((c) => c.name.startsWith('ends in tool'))!.body).mayEndInToolCalls()).toBe(true);
    });
  });
}

describe('OpenAI conversation peek: trailing tool calls', () => {
  const peekOf = (name: string) => openAiConversationPeek({ body: openAiCases.find((c) => c.name.startsWith(name))!.body });
  it('counts the trailing repeats from the body itself, so a turn ending in a tool result is checked without the canonical parse', () => {
    expect(peekOf('ends in tool calls').toolCallRepeats?.()).toBe(4);
    expect(peekOf('ends in a tool result after other calls').toolCallRepeats?.()).toBe(1);
    expect(peekOf('parallel calls in either order').toolCallRepeats?.()).toBe(3);
    expect(peekOf('legacy function_call').toolCallRepeats?.()).toBe(4);
    expect(peekOf('a turn without arguments').toolCallRepeats?.()).toBe(2);
    expect(peekOf('other calls between').toolCallRepeats?.()).toBe(2);
    expect(peekOf('one user message').toolCallRepeats?.()).toBe(0);
  });
  it('leaves what the canonical reader would refuse to it', () => {
    const nameless = { model: 'm', messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: { arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'x', content: '1' }] };
    expect(() => parseOpenAiChatRequest(nameless)).toThrow();
    expect(openAiConversationPeek({ body: nameless }).toolCallRepeats?.()).toBeNull();
    expect(openAiConversationPeek({ body: { model: 'm', messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: 'x' }] } }).toolCallRepeats?.()).toBeNull();
    expect(openAiConversationPeek({ body: { model: 'm', messages: [{ role: 'user', content: 'go' }, { role: 'robot', content: 'x' }] } }).toolCallRepeats?.()).toBeNull();
    expect(openAiConversationPeek({ body: { model: 'm', messages: 'x' } }).toolCallRepeats?.()).toBeNull();
  });
});

describe('Anthropic conversation peek: trailing tool calls', () => {
  const peekOf = (name: string) => anthropicConversationPeek({ body: anthropicCases.find((c) => c.name.startsWith(name))!.body });
  it('counts the trailing repeats from the body itself, so a turn ending in a tool result is checked without the canonical parse', () => {
    expect(peekOf('ends in tool results').toolCallRepeats?.()).toBe(4);
    expect(peekOf('ends in a tool result after other calls').toolCallRepeats?.()).toBe(1);
    expect(peekOf('parallel calls in either order').toolCallRepeats?.()).toBe(3);
    expect(peekOf('a call without input').toolCallRepeats?.()).toBe(2);
    expect(peekOf('other calls between').toolCallRepeats?.()).toBe(2);
    expect(peekOf('a text answer ends the streak').toolCallRepeats?.()).toBe(0);
    expect(peekOf('ends in tool results and a user text').toolCallRepeats?.()).toBe(0);
    expect(peekOf('one user message').toolCallRepeats?.()).toBe(0);
  });
  it('leaves what the canonical reader would refuse to it', () => {
    const nameless = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: [{ type: 'tool_use', id: 'x', input: {} }] }, { role: 'user', content: [toolResult('x')] }] };
    expect(() => parseAnthropicRequest(nameless)).toThrow();
    expect(anthropicConversationPeek({ body: nameless }).toolCallRepeats?.()).toBeNull();
    const body = (messages: unknown[]) => ({ body: { model: 'm', max_tokens: 10, messages } });
    expect(anthropicConversationPeek(body([{ role: 'user', content: 'go' }, { role: 'assistant', content: 7 }])).toolCallRepeats?.()).toBeNull();
    expect(anthropicConversationPeek(body([{ role: 'user', content: 'go' }, { role: 'assistant', content: [toolUse('t')] }, { role: 'user', content: [toolResult('t'), 'x'] }])).toolCallRepeats?.()).toBeNull();
    expect(anthropicConversationPeek(body([{ role: 'user', content: 'go' }, { role: 'robot', content: 'x' }])).toolCallRepeats?.()).toBeNull();
    expect(anthropicConversationPeek({ body: { model: 'm', messages: 'x' } }).toolCallRepeats?.()).toBeNull();
  });
});

check('OpenAI', openAiCases, (body) => openAiConversationPeek({ body }), parseOpenAiChatRequest);
check('Anthropic', anthropicCases, (body) => anthropicConversationPeek({ body }), parseAnthropicRequest);

describe('derived session ids', () => {
  it('are the same ids as before the one-shot hash (sha256 of client, system parts and first user text)', () => {
    const reference = createHash('sha256').update('bench').update('\u0000').update('A').update('\u0000').update('B').update('\u0000').update('\u0001').update('x\ny').digest('hex').slice(0, 20);
    expect(sessionIdOf(undefined, 'bench', () => ({ system: ['A', 'B'], firstUser: 'x\ny' }))).toBe(`s-${reference}`);
  });
  it('a header wins; an unprintable one is hashed; an unreadable conversation has none', () => {
    expect(sessionIdOf('task-1', 'c', () => null)).toBe('task-1');
    expect(sessionIdOf('bad id\n', 'c', () => null)).toMatch(/^h-[0-9a-f]{20}$/);
    expect(sessionIdOf(undefined, 'c', () => null)).toBeNull();
  });
});

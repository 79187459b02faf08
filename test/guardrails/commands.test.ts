/**
 * The in-chat commands' pure parts: what is a command (line starts only, never in code fences,
 * inline code or quotes), what is malformed and the syntax it answers with, the raw-body check
 * before any parse, stripping commands from every user turn (a turn of commands only leaves with
 * Switchboard's answer), and session state with its idle TTL and bound on a hand-moved clock.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ChatRequest } from '../../src-proxy/canonical/types.ts';
import { mayHoldPrefix, scanCommands } from '../../src-proxy/policy/command-parse.ts';
import { applySessionOverrides } from '../../src-proxy/policy/command-step.ts';
import { readCommands } from '../../src-proxy/policy/command-strip.ts';
import { createSessionStates } from '../../src-proxy/policy/session-state.ts';
import { createManualClock } from '../fixtures/manual-clock.ts';

describe('scanCommands', () => {
  it('reads commands at the start of a line, several on one line, and keeps the rest of the text', () => {
    const scan = scanCommands('  !/model(openai/gpt-4o) !/set(temperature=0.2, reasoning=high, max_tokens=4000)\nRefactor this.\n!/unset(top_p)\n!/loop(off)\n!/help !/status', '!/')!;
    expect(scan.malformed).toEqual([]);
    expect(scan.commands).toEqual([
      { name: 'model', model: 'openai/gpt-4o' },
      { name: 'set', values: { temperature: 0.2, reasoning: 'high', maxTokens: 4000 } },
      { name: 'unset', keys: ['topP'] },
      { name: 'loop', on: false },
      { name: 'help' },
      { name: 'status' },
    ]);
    expect(scan.written).toEqual(['!/model(openai/gpt-4o)', '!/set(temperature=0.2, reasoning=high, max_tokens=4000)', '!/unset(top_p)', '!/loop(off)', '!/help', '!/status']);
    expect(scan.rest).toBe('Refactor this.');
    expect(scanCommands('!/model()', '!/')!.commands).toEqual([{ name: 'model', model: null }]);
  });

  it('is not fooled by code fences, inline code, quotes, or a prefix inside a sentence', () => {
    const texts = [
      '```\n!/help\n```',
      '~~~python\nprint(1)\n!/loop(off)\n~~~',
      'Run `!/help` to see them',
      '> !/model(x)\nquoted from the docs',
      'the path is a!/b and x = "!/set(temperature=1)"',
      'no prefix at all',
    ];
    for (const text of texts) expect(scanCommands(text, '!/')).toBeNull();
    // After a closed fence, commands count again.
    expect(scanCommands('```\ncode\n```\n!/status', '!/')!.commands).toEqual([{ name: 'status' }]);
  });

  it('answers malformed commands with their syntax', () => {
    const cases: Array<[string, RegExp]> = [
      ['!/set(temperature=hot)', /temperature is a number from 0 to 2\. Syntax: !\/set\(temperature=0\.2/],
      ['!/set(colour=red)', /"colour=red" is not one of temperature, top_p, max_tokens, reasoning/],
      ['!/set(reasoning=extreme)', /reasoning is one of minimal, low, medium, high, max, off/],
      ['!/model', /needs parentheses\. Syntax: !\/model\(name\)/],
      ['!/model(a, b)', /takes one model name/],
      ['!/loop(maybe)', /takes on or off/],
      ['!/help(me)', /takes no arguments/],
      ['!/unset(colour)', /knows temperature, top_p, max_tokens, reasoning/],
      ['!/launch(rockets)', /"!\/launch\(rockets\)" is not a command\. Syntax: commands: !\/help/],
      ['!/status please', /a command line holds only commands/],
      ['!/(', /is not a command/],
    ];
    for (const [text, message] of cases) {
      const scan = scanCommands(text, '!/')!;
      expect(scan.malformed.join(' '), text).toMatch(message);
    }
  });

  it('the raw-body check sees the prefix however a JSON writer escaped it', () => {
    expect(mayHoldPrefix(JSON.stringify({ content: 'hi !/help' }), '!/')).toBe(true);
    expect(mayHoldPrefix('{"content":"hi !\\/help"}', '!/')).toBe(true);
    expect(mayHoldPrefix(JSON.stringify({ content: 'plain' }), '!/')).toBe(false);
    expect(mayHoldPrefix('{"content":"\\u00a7\\u00a7help"}', '§§')).toBe(true);
    expect(mayHoldPrefix('{"content":"\\u00A7\\u00A7help"}', '§§')).toBe(true);
    expect(mayHoldPrefix(JSON.stringify({ content: 'say "\\' }), '"\\')).toBe(true);
  });

  it('answers the same on the body\'s bytes, searched for bytes made once (a string needle is encoded again per call)', () => {
    const cases: Array<[string, string]> = [
      [JSON.stringify({ content: 'hi !/help' }), '!/'],
      ['{"content":"hi !\\/help"}', '!/'],
      [JSON.stringify({ content: 'plain' }), '!/'],
      ['{"content":"\\u00a7\\u00a7help"}', '§§'],
      ['{"content":"\\u00A7\\u00A7help"}', '§§'],
      [JSON.stringify({ content: '§§help' }), '§§'],
      [JSON.stringify({ content: 'say "\\' }), '"\\'],
      [JSON.stringify({ content: '日本 !/model x' }), '!/'],
    ];
    const needles: unknown[] = [];
    const includes = vi.spyOn(Buffer.prototype, 'includes').mockImplementation(function (this: Buffer, value, ...rest) {
      needles.push(value);
      return Buffer.prototype.indexOf.call(this, value, ...rest) !== -1;
    });
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    try {
      for (const [text, prefix] of cases) expect(mayHoldPrefix(Buffer.from(text), prefix), text).toBe(mayHoldPrefix(text, prefix));
      for (const call of indexOf.mock.calls) needles.push(call[0]);
    } finally {
      includes.mockRestore();
      indexOf.mockRestore();
    }
    expect(needles.length).toBeGreaterThan(0);
    expect(needles.every((needle) => Buffer.isBuffer(needle))).toBe(true);
  });
});

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });
const assistant = (text: string) => ({ role: 'assistant' as const, content: [{ type: 'text' as const, text }] });
const request = (messages: ChatRequest['messages']): ChatRequest => ({ model: 'm', system: [], messages, stream: false, extra: {} });

describe('readCommands', () => {
  it('strips every turn, drops earlier command-only turns with their answers, and reads only the last turn', () => {
    const read = readCommands(
      request([user('!/model(cheap)'), assistant('Model: this session now goes to cheap'), user('!/set(temperature=1)\nHello'), assistant('Hi'), user('!/loop(off)\nGo on')]),
      '!/',
    )!;
    expect(read.stripped.messages).toEqual([user('Hello'), assistant('Hi'), user('Go on')]);
    expect(read.last!.commands).toEqual([{ name: 'loop', on: false }]);
    expect(read.onlyCommands).toBe(false);
    expect(readCommands(request([user('Hello'), assistant('Hi'), user('!/status')]), '!/')).toMatchObject({ onlyCommands: true, last: { commands: [{ name: 'status' }] } });
    expect(readCommands(request([user('Hello'), assistant('!/help is how you list them')]), '!/')).toBeNull();
  });

  it('a tool result ends the turn: earlier commands are stripped, not applied again', () => {
    const read = readCommands(
      request([user('!/set(temperature=0)\nRead the file'), { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'read', arguments: '{}' }] }, { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: '!/help' }] }] }]),
      '!/',
    )!;
    expect(read.last).toBeNull();
    expect(read.stripped.messages[0]).toEqual(user('Read the file'));
    expect(read.stripped.messages[2]).toMatchObject({ role: 'tool', content: [{ content: [{ text: '!/help' }] }] });
  });

  it('session overrides change the canonical request', () => {
    expect(applySessionOverrides(request([]), { temperature: 0.2, maxTokens: 10, topP: 0.5, reasoning: 'high' })).toMatchObject({ temperature: 0.2, maxTokens: 10, topP: 0.5, reasoning: { enabled: true, effort: 'high' } });
    expect(applySessionOverrides(request([]), { reasoning: 'off' }).reasoning).toEqual({ enabled: false });
  });
});

describe('session state', () => {
  it('is forgotten after the idle time, kept while used, and bounded (least recently used goes)', async () => {
    const clock = createManualClock();
    const states = createSessionStates({ idleMs: () => 60_000, max: 3, now: clock.now });
    expect(states.get('a')).toBeUndefined();
    states.open('a').overrides.temperature = 0.5;
    await clock.advance(59_000);
    expect(states.get('a')!.overrides).toEqual({ temperature: 0.5 });
    await clock.advance(59_000);
    expect(states.get('a')).toBeDefined();
    states.open('b');
    await clock.advance(61_000);
    expect(states.get('a')).toBeUndefined();
    expect(states.size).toBe(0);
    for (const id of ['x', 'y', 'z']) states.open(id);
    states.get('x');
    states.open('w');
    expect(states.size).toBe(3);
    expect(states.get('y')).toBeUndefined();
    expect(states.get('x')).toBeDefined();
  });
});

// @vitest-environment node
/**
 * The fast path forwards the client's own JSON bytes with only the changed top-level values
 * spliced in (wire/json-splice.ts). Whatever it writes must parse to exactly the body the adapter
 * built, keep every other byte of the client's body, and give up (null: stringify) on anything
 * it cannot splice safely.
 */
import { describe, expect, it, vi } from 'vitest';
import { spliceJsonObject as spliceBytes } from '../../src-proxy/wire/json-splice.ts';

/** The splice on a body's UTF-8 bytes, read back as text (null stays null). */
function spliceJsonObject(text: string, original: Record<string, unknown>, changed: Record<string, unknown>): string | null {
  return spliceBytes(Buffer.from(text), original, changed)?.toString('utf8') ?? null;
}

/** A coding agent's turn: a long conversation (about 64 KB). */
const conversation = Array.from({ length: 60 }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: `Please refactor this function ${index} and explain. `.repeat(20) }));

/** What the OpenAI adapter does to a chat body: model rewritten, usage asked for on streams. */
function adapt(original: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...original, model };
  if (stream) {
    const options = (body.stream_options ?? {}) as Record<string, unknown>;
    if (options.include_usage !== true) body.stream_options = { ...options, include_usage: true };
  }
  return body;
}

const texts = [
  '{"model":"coder","messages":[{"role":"user","content":"Hi"}]}',
  '{\n  "messages": [ { "role": "user", "content": "say \\"model\\": \\"x\\" \\\\" } ],\n  "model" : "coder",\n  "temperature": 1.0e0, "n": 1\n}\n',
  '{"messages":[{"role":"user","content":"caf\\u00e9 ☕"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"model":{"type":"string"}}}}}],"model":"coder","stream":true}',
  '{"model":"coder","stream":true,"stream_options":{"include_usage":false},"messages":[]}',
  '{"model":"coder","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"{\\"model\\":1}"}]}',
  '{"mod\\u0065l":"coder","messages":[[[]]],"x":null,"y":[1,-2.5,true,false]}',
  JSON.stringify({ model: 'coder', messages: conversation, stream: false }),
  // Multi-byte characters before, inside and after the spliced values: byte offsets, not characters.
  '{"messages":[{"role":"user","content":"日本語 ☕ 😀 \\\" ü"}],"model":"coder","max_tokens":5,"metadata":{"ключ":"значение"}}',
  '{"ü":"☕","model":"coder","messages":[{"role":"user","content":"😀"}]}',
  // Strings around the length read by the loop before the native search (24 bytes), with escaped
  // quotes and backslashes on either side of it; long stretches kept (copied natively past 128 bytes).
  JSON.stringify({ messages: [{ role: 'user', content: `${'x'.repeat(21)}"q\\`, name: `${'y'.repeat(23)}\\` }, { role: 'assistant', content: `${'z'.repeat(24)}"${'w'.repeat(40)}"\\` }], model: 'coder' }),
  JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'a'.repeat(23) }], ['k'.repeat(30)]: '"'.repeat(30), long: 'l'.repeat(300) }),
];

describe('spliceJsonObject', () => {
  for (const [index, text] of texts.entries()) {
    for (const stream of [false, true]) {
      it(`case ${index} (${stream ? 'stream' : 'json'}): parses to the adapted body and keeps the client's other bytes`, () => {
        const original = JSON.parse(text) as Record<string, unknown>;
        const changed = adapt(original, 'upstream-"model"-ü', stream);
        const out = spliceJsonObject(text, original, changed);
        expect(out).not.toBeNull();
        expect(JSON.parse(out!)).toEqual(changed);
        // Only the model's value (and an appended or replaced stream_options) differ from the client's text.
        const stripped = (value: string) => value.replace(/"upstream-\\"model\\"-ü"|"coder"/, '"M"').replace(/,?"stream_options":\{"include_usage":(true|false)\}/, '');
        expect(stripped(out!)).toBe(stripped(text));
      });
    }
  }

  it('rewrites a key whose name is not ASCII, and one the client escaped', () => {
    const text = '{"ключ":"a","model":"coder","mod\\u0065":1}';
    const original = JSON.parse(text) as Record<string, unknown>;
    const changed = { ...original, ключ: 'b', mode: 2 };
    const out = spliceJsonObject(text, original, changed);
    expect(out).toBe('{"ключ":"b","model":"coder","mod\\u0065":2}');
  });

  it('gives up on a key written twice, once escaped', () => {
    const text = '{"model":"a","mod\\u0065l":"c","messages":[]}';
    expect(spliceJsonObject(text, JSON.parse(text) as Record<string, unknown>, { model: 'b', messages: [] })).toBeNull();
  });

  it('makes no native call per string on a small body (a chat request is a dozen short strings)', () => {
    const bytes = Buffer.from(JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Hello, benchmark!' }], stream: true }));
    const original = JSON.parse(bytes.toString()) as Record<string, unknown>;
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    const toString = vi.spyOn(Buffer.prototype, 'toString');
    const subarray = vi.spyOn(Buffer.prototype, 'subarray');
    let out: Buffer | null;
    try {
      out = spliceBytes(bytes, original, adapt(original, 'bench-model', true));
      expect(indexOf).not.toHaveBeenCalled();
      expect(toString).not.toHaveBeenCalled();
      expect(subarray).not.toHaveBeenCalled();
    } finally {
      indexOf.mockRestore();
      toString.mockRestore();
      subarray.mockRestore();
    }
    expect(out!.toString()).toBe('{"model":"bench-model","messages":[{"role":"user","content":"Hello, benchmark!"}],"stream":true,"stream_options":{"include_usage":true}}');
  });

  it('returns the bytes themselves when nothing changed', () => {
    const bytes = Buffer.from('{ "model": "m", "messages": [] }');
    const original = JSON.parse(bytes.toString()) as Record<string, unknown>;
    expect(spliceBytes(bytes, original, { ...original })).toBe(bytes);
  });

  it('appends to an empty object without a leading comma', () => {
    expect(spliceJsonObject(' { } ', {}, { model: 'm' })).toBe(' {"model":"m" } ');
  });

  it('gives up on what it cannot splice safely', () => {
    const text = '{"model":"a","messages":[]}';
    const original = JSON.parse(text) as Record<string, unknown>;
    // A removed key, or one set to undefined (JSON.stringify drops it).
    expect(spliceJsonObject(text, original, { model: 'b' })).toBeNull();
    expect(spliceJsonObject(text, original, { ...original, messages: undefined })).toBeNull();
    // A repeated key (JSON.parse keeps the last one: which one to rewrite is ambiguous).
    expect(spliceJsonObject('{"model":"a","model":"c","messages":[]}', { model: 'c', messages: [] }, { model: 'b', messages: [] })).toBeNull();
    // Not exactly one object: a byte-order mark, trailing text, an array.
    expect(spliceJsonObject(`\ufeff${text}`, original, { ...original, model: 'b' })).toBeNull();
    expect(spliceJsonObject(`${text} x`, original, { ...original, model: 'b' })).toBeNull();
    expect(spliceJsonObject('[1]', {}, { model: 'b' })).toBeNull();
    // Malformed text (cannot happen after a parse, but never spliced blindly).
    expect(spliceJsonObject('{"model":"a","messages":[}', original, { ...original, model: 'b' })).toBeNull();
    expect(spliceJsonObject('{"model":"a,"messages":[]}', original, { ...original, model: 'b' })).toBeNull();
  });
});

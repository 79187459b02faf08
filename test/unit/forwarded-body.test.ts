/**
 * The fast path's parsed body is let go once the forwarded bytes are built (http/forwarded-body.ts):
 * a reader after that gets the same tree parsed again from the bytes, once; a body without its
 * bytes is never let go.
 */
import { describe, expect, it } from 'vitest';
import { ForwardedBody } from '../../src-proxy/http/forwarded-body.ts';

const json = { model: 'm', messages: [{ role: 'user', content: 'caf\u00e9 "quoted" \\ tab\t' }], stream: false };

describe('ForwardedBody', () => {
  it('answers the tree it was given until released, then the bytes parsed again (one parse for every later reader)', () => {
    const tree = structuredClone(json);
    const call = new ForwardedBody('openai.chat', tree, false, Buffer.from(JSON.stringify(json)));
    expect(call.body).toBe(tree);
    call.release();
    const again = call.body;
    expect(again).not.toBe(tree);
    expect(again).toEqual(json);
    expect(call.body).toBe(again);
    expect(call.raw!.toString()).toBe(JSON.stringify(json));
  });

  it('parses bytes that start with a UTF-8 byte order mark as the body parser did', () => {
    const call = new ForwardedBody('openai.chat', structuredClone(json), false, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(json))]));
    call.release();
    expect(call.body).toEqual(json);
  });

  it('keeps a body that has no bytes to parse again (changed before forwarding)', () => {
    const tree = structuredClone(json);
    const call = new ForwardedBody('openai.chat', tree, true, undefined);
    call.release();
    expect(call.body).toBe(tree);
    expect(call.stream).toBe(true);
    expect(call.endpoint).toBe('openai.chat');
  });
});

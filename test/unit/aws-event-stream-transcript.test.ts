/**
 * Captured AWS event-stream bytes read as a transcript: each frame an `event:` and its JSON
 * `data:`, a base64 `bytes` payload decoded, exceptions and error frames marked, and whatever
 * does not decode (a damaged checksum, an impossible length, a frame cut short) said and shown
 * as base64 — never thrown. Frames made with AWS's own codec.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { eventStreamTranscript, isEventStream } from '../../src-proxy/wire/aws-event-stream.ts';
import { eventFrame } from '../fixtures/fake-bedrock-upstream.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const bytesOf = (...frames: Uint8Array[]) => Buffer.concat(frames.map((frame) => Buffer.from(frame)));

describe('event-stream transcript', () => {
  it('shows each event with its JSON payload, in SSE form', () => {
    const bytes = bytesOf(eventFrame('messageStart', { role: 'assistant' }), eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }));
    expect(eventStreamTranscript(bytes)).toBe('event: messageStart\ndata: {"role":"assistant"}\n\nevent: contentBlockDelta\ndata: {"contentBlockIndex":0,"delta":{"text":"Hi"}}\n');
  });

  it('decodes a base64 `bytes` payload: JSON as JSON, text as text, other bytes left as they are', () => {
    const inner = { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Hello' } };
    const json = eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(inner)).toString('base64') });
    const text = eventFrame('chunk', { bytes: Buffer.from('plain words').toString('base64') });
    const binary = eventFrame('chunk', { bytes: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') });
    expect(eventStreamTranscript(bytesOf(json, text, binary)).split('\n\n')).toEqual([
      `event: chunk\ndata: ${JSON.stringify({ bytes: inner })}`,
      'event: chunk\ndata: {"bytes":"plain words"}',
      'event: chunk\ndata: {"bytes":"//4A"}\n',
    ]);
  });

  it('marks an exception and an error frame', () => {
    const exception = eventFrame('throttlingException', { message: 'Too many tokens' }, 'exception');
    const error = codec.encode({ headers: { ':message-type': { type: 'string', value: 'error' }, ':error-code': { type: 'string', value: 'InternalFailure' }, ':error-message': { type: 'string', value: 'boom' } }, body: new Uint8Array() });
    expect(eventStreamTranscript(bytesOf(exception, error))).toBe(
      'event: throttlingException\n: message-type exception\ndata: {"message":"Too many tokens"}\n\nevent: error\n: message-type error\ndata: {"errorCode":"InternalFailure","errorMessage":"boom"}\n',
    );
  });

  it('says a frame with a bad checksum is damaged, shows its bytes, and reads on', () => {
    const good = eventFrame('messageStop', { stopReason: 'end_turn' });
    const damaged = Buffer.from(eventFrame('contentBlockDelta', { delta: { text: 'x' } }));
    damaged[damaged.length - 6] ^= 0xff;
    const transcript = eventStreamTranscript(bytesOf(damaged, good));
    const [first, second] = transcript.split('\n\n');
    expect(first).toMatch(new RegExp(`^: a damaged frame of ${damaged.length} bytes \\(.*\\), base64:\\ndata: ${damaged.toString('base64').replace(/[+/]/g, '\\$&')}$`));
    expect(second).toBe('event: messageStop\ndata: {"stopReason":"end_turn"}\n');
  });

  it('shows bytes with an impossible frame length, and a frame cut short, as base64', () => {
    const good = Buffer.from(eventFrame('messageStart', { role: 'assistant' }));
    const junk = Buffer.from('not a frame at all, just text');
    expect(eventStreamTranscript(Buffer.concat([good, junk]))).toBe(
      `event: messageStart\ndata: {"role":"assistant"}\n\n: ${junk.length} bytes that are not an event-stream frame (a frame cannot be ${junk.readUInt32BE(0)} bytes long), base64:\ndata: ${junk.toString('base64')}\n`,
    );
    const half = good.subarray(0, 20);
    expect(eventStreamTranscript(half, true)).toBe(`: an incomplete frame (20 of ${good.length} bytes; cut at the capture limit), base64:\ndata: ${half.toString('base64')}\n`);
    expect(eventStreamTranscript(good.subarray(0, 3))).toBe(`: an incomplete frame (3 of at least 4 bytes; the stream ended inside it), base64:\ndata: ${good.subarray(0, 3).toString('base64')}\n`);
    expect(eventStreamTranscript(Buffer.alloc(0))).toBe('');
  });

  it('keeps a payload that is not JSON as its text, and one that is not UTF-8 as base64', () => {
    const text = codec.encode({ headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'note' } }, body: fromUtf8('two\nlines') });
    const binary = codec.encode({ headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'blob' } }, body: new Uint8Array([0xc3, 0x28]) });
    expect(eventStreamTranscript(bytesOf(text, binary))).toBe('event: note\ndata: two\ndata: lines\n\nevent: blob\ndata: (not UTF-8, base64) wyg=\n');
  });

  it('knows the content type', () => {
    expect(isEventStream('application/vnd.amazon.eventstream')).toBe(true);
    expect(isEventStream(['application/vnd.amazon.eventstream; charset=binary'])).toBe(true);
    expect(isEventStream('text/event-stream')).toBe(false);
    expect(isEventStream(undefined)).toBe(false);
  });
});

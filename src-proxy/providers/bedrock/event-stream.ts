/**
 * ConverseStream's body is AWS's binary event stream (application/vnd.amazon.eventstream):
 * frames of [total length][headers length][prelude CRC][headers][payload][message CRC], with
 * `:message-type` (event | exception | error), `:event-type` / `:exception-type` headers and a
 * JSON payload. Frames arrive split across TCP chunks or several in one; this splitter only finds
 * frame boundaries from the 4-byte total length, and AWS's own codec (@smithy/eventstream-codec)
 * decodes each whole frame, checking both CRCs.
 */
import type { Message } from '@smithy/eventstream-codec';
import type { SignatureCache } from '../../canonical/signature-cache.ts';
import type { StreamEvent, ThinkingPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { EventQueue } from '../../upstream/event-queue.ts';
import { ERROR_CODES } from '../../errors/codes.ts';
import { ConverseEventConverter } from './converse-events.ts';
import { codeOfBedrockException } from './errors.ts';
import { eventHeader, loadEventStreamCodec, MAX_EVENT_FRAME } from '../../wire/aws-event-stream.ts';

// AWS's codec (wire/aws-event-stream.ts) is loaded with the first ConverseStream.

/** Whole frames out of arbitrarily split chunks. */
export class FrameSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    while (this.buffer.length >= 4) {
      const total = this.buffer.readUInt32BE(0);
      if (total < 16 || total > MAX_EVENT_FRAME) throw new GatewayError('upstream_bad_response', `Bedrock sent an event-stream frame of ${total} bytes`);
      if (this.buffer.length < total) break;
      frames.push(this.buffer.subarray(0, total));
      this.buffer = this.buffer.subarray(total);
    }
    return frames;
  }

  /** Bytes of a frame that never completed. */
  get pending(): number {
    return this.buffer.length;
  }
}


function payloadOf(message: Message): Record<string, unknown> {
  if (message.body.length === 0) return {};
  try {
    return JSON.parse(loadEventStreamCodec().toUtf8(message.body)) as Record<string, unknown>;
  } catch (error) {
    throw new GatewayError('upstream_bad_response', 'A Bedrock stream event is not valid JSON', { cause: error });
  }
}

/** An exception frame (or a generic error frame) → the in-band canonical error. */
function streamError(message: Message, type: string): StreamEvent {
  const payload = message.body.length > 0 ? payloadOf(message) : {};
  const name = type === 'error' ? eventHeader(message, ':error-code') : eventHeader(message, ':exception-type');
  const text = String(payload.message ?? payload.Message ?? eventHeader(message, ':error-message') ?? '') || 'The provider reported an error mid-stream';
  const code = codeOfBedrockException(name, text) ?? 'upstream_error';
  return { type: 'error', error: { code, message: `Bedrock ${name || 'error'}: ${text}`, status: code === 'upstream_error' ? 502 : ERROR_CODES[code].status } };
}

/** A ConverseStream body → canonical events, decoded frame by frame as bytes arrive. */
export function converseStreamEvents(body: AsyncIterable<Buffer>, signatures: SignatureCache<readonly ThinkingPart[]>): AsyncIterable<StreamEvent> {
  const { EventStreamCodec: Codec, toUtf8: utf8Out, fromUtf8: utf8In } = loadEventStreamCodec();
  const codec = new Codec(utf8Out, utf8In);
  const splitter = new FrameSplitter();
  const converter = new ConverseEventConverter(signatures);
  let failed = false;
  return new EventQueue(body, {
    chunk(chunk, events) {
      for (const frame of splitter.push(chunk)) {
        let message: Message;
        try {
          message = codec.decode(frame);
        } catch (error) {
          throw new GatewayError('upstream_bad_response', 'Bedrock sent a damaged event-stream frame (checksum or length mismatch)', { cause: error });
        }
        const type = eventHeader(message, ':message-type') || 'event';
        if (type !== 'event') {
          events.push(streamError(message, type));
          failed = true;
          return true;
        }
        for (const event of converter.convert(eventHeader(message, ':event-type'), payloadOf(message))) events.push(event);
      }
      return converter.finished;
    },
    end() {
      if (failed) return [];
      if (splitter.pending > 0 && !converter.finished) throw new GatewayError('upstream_disconnected', 'The Bedrock stream ended inside an event frame');
      return converter.finish();
    },
  });
}

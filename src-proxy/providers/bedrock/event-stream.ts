/**
 * ConverseStream's body is AWS's binary event stream (application/vnd.amazon.eventstream):
 * frames of [total length][headers length][prelude CRC][headers][payload][message CRC], with
 * `:message-type` (event | exception | error), `:event-type` / `:exception-type` headers and a
 * JSON payload. Frames arrive split across TCP chunks or several in one; this splitter only finds
 * frame boundaries from the 4-byte total length, and AWS's own codec (@smithy/eventstream-codec)
 * decodes each whole frame, checking both CRCs.
 */
import { createRequire } from 'node:module';
import type { EventStreamCodec, Message } from '@smithy/eventstream-codec';
import type { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SignatureCache } from '../../canonical/signature-cache.ts';
import type { StreamEvent, ThinkingPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { EventQueue } from '../../upstream/event-queue.ts';
import { ERROR_CODES } from '../../errors/codes.ts';
import { ConverseEventConverter } from './converse-events.ts';
import { codeOfBedrockException } from './errors.ts';

// AWS's codec is loaded with the first ConverseStream (a gateway without Bedrock never pays it).
interface Codec {
  EventStreamCodec: typeof EventStreamCodec;
  toUtf8: typeof toUtf8;
  fromUtf8: typeof fromUtf8;
}
let codecModules: Codec | null = null;
function loadCodec(): Codec {
  if (codecModules) return codecModules;
  const require = createRequire(import.meta.url);
  const utf8 = require('@smithy/util-utf8') as Codec;
  codecModules = { EventStreamCodec: (require('@smithy/eventstream-codec') as Codec).EventStreamCodec, toUtf8: utf8.toUtf8, fromUtf8: utf8.fromUtf8 };
  return codecModules;
}

/** A frame larger than this is not a Converse event (AWS caps messages at 16 MB). */
const MAX_FRAME = 16 * 1024 * 1024 + 1024;

/** Whole frames out of arbitrarily split chunks. */
export class FrameSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    while (this.buffer.length >= 4) {
      const total = this.buffer.readUInt32BE(0);
      if (total < 16 || total > MAX_FRAME) throw new GatewayError('upstream_bad_response', `Bedrock sent an event-stream frame of ${total} bytes`);
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

function header(message: Message, name: string): string {
  const value = message.headers[name];
  return value && (value.type === 'string' || value.type === 'binary') ? String(value.value) : '';
}

function payloadOf(message: Message): Record<string, unknown> {
  if (message.body.length === 0) return {};
  try {
    return JSON.parse(loadCodec().toUtf8(message.body)) as Record<string, unknown>;
  } catch (error) {
    throw new GatewayError('upstream_bad_response', 'A Bedrock stream event is not valid JSON', { cause: error });
  }
}

/** An exception frame (or a generic error frame) → the in-band canonical error. */
function streamError(message: Message, type: string): StreamEvent {
  const payload = message.body.length > 0 ? payloadOf(message) : {};
  const name = type === 'error' ? header(message, ':error-code') : header(message, ':exception-type');
  const text = String(payload.message ?? payload.Message ?? header(message, ':error-message') ?? '') || 'The provider reported an error mid-stream';
  const code = codeOfBedrockException(name, text) ?? 'upstream_error';
  return { type: 'error', error: { code, message: `Bedrock ${name || 'error'}: ${text}`, status: code === 'upstream_error' ? 502 : ERROR_CODES[code].status } };
}

/** A ConverseStream body → canonical events, decoded frame by frame as bytes arrive. */
export function converseStreamEvents(body: AsyncIterable<Buffer>, signatures: SignatureCache<readonly ThinkingPart[]>): AsyncIterable<StreamEvent> {
  const { EventStreamCodec: Codec, toUtf8: utf8Out, fromUtf8: utf8In } = loadCodec();
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
        const type = header(message, ':message-type') || 'event';
        if (type !== 'event') {
          events.push(streamError(message, type));
          failed = true;
          return true;
        }
        for (const event of converter.convert(header(message, ':event-type'), payloadOf(message))) events.push(event);
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

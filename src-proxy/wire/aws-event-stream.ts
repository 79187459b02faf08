/**
 * AWS's binary event stream (application/vnd.amazon.eventstream, Bedrock's ConverseStream and
 * InvokeModelWithResponseStream): frames of [total length][headers length][prelude CRC][headers]
 * [payload][message CRC], with `:message-type` (event | exception | error), `:event-type` /
 * `:exception-type` headers and a JSON payload. AWS's own codec (@smithy/eventstream-codec)
 * decodes a whole frame and checks both CRCs; it is loaded with the first frame (a gateway
 * without Bedrock never pays for it).
 *
 * `eventStreamTranscript` turns captured bytes into text a person can read, in the SSE shape the
 * translation view shows other streams in: `event: <type>` and `data: <payload JSON>` per frame,
 * with a base64 `bytes` field (InvokeModelWithResponseStream's chunks) shown decoded. Whatever
 * does not decode is said to be so and shown as base64, never thrown.
 */
import { createRequire } from 'node:module';
import type { EventStreamCodec, Message } from '@smithy/eventstream-codec';
import type { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { withFields } from './with-fields.ts';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** A frame larger than this is not a Bedrock event (AWS caps messages at 16 MB). */
export const MAX_EVENT_FRAME = 16 * 1024 * 1024 + 1024;
/** Prelude (12) and message CRC (4): the smallest frame. */
const MIN_FRAME = 16;

interface CodecModules {
  EventStreamCodec: typeof EventStreamCodec;
  toUtf8: typeof toUtf8;
  fromUtf8: typeof fromUtf8;
}
let codecModules: CodecModules | null = null;

/** AWS's codec modules, loaded on first use. */
export function loadEventStreamCodec(): CodecModules {
  if (codecModules) return codecModules;
  const require = createRequire(import.meta.url);
  const utf8 = require('@smithy/util-utf8') as CodecModules;
  codecModules = { EventStreamCodec: (require('@smithy/eventstream-codec') as CodecModules).EventStreamCodec, toUtf8: utf8.toUtf8, fromUtf8: utf8.fromUtf8 };
  return codecModules;
}

/** A string (or binary) header's value, '' when absent. */
export function eventHeader(message: Message, name: string): string {
  const value = message.headers[name];
  return value && (value.type === 'string' || value.type === 'binary') ? String(value.value) : '';
}

/** Whether a response's content type is the AWS event stream. */
export function isEventStream(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value !== undefined && value.toLowerCase().startsWith(EVENT_STREAM_CONTENT_TYPE);
}

/**
 * Captured event-stream bytes as an SSE-shaped transcript. `cut`: the bytes stop at the capture
 * bound, so a last incomplete frame is the cut, not the provider's.
 */
export function eventStreamTranscript(bytes: Buffer, cut = false): string {
  const { EventStreamCodec: Codec, toUtf8: utf8Out, fromUtf8: utf8In } = loadEventStreamCodec();
  const codec = new Codec(utf8Out, utf8In);
  const out: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    const total = left >= 4 ? bytes.readUInt32BE(offset) : 0;
    if (left >= 4 && (total < MIN_FRAME || total > MAX_EVENT_FRAME)) {
      // The length is wrong, so no later frame boundary can be trusted either: the rest as it is.
      out.push(`: ${left} bytes that are not an event-stream frame (a frame cannot be ${total} bytes long), base64:\ndata: ${bytes.subarray(offset).toString('base64')}\n`);
      break;
    }
    if (left < 4 || total > left) {
      const why = cut ? 'cut at the capture limit' : 'the stream ended inside it';
      out.push(`: an incomplete frame (${left} of ${left < 4 ? 'at least 4' : total} bytes; ${why}), base64:\ndata: ${bytes.subarray(offset).toString('base64')}\n`);
      break;
    }
    const frame = bytes.subarray(offset, offset + total);
    offset += total;
    let message: Message;
    try {
      message = codec.decode(frame);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      out.push(`: a damaged frame of ${total} bytes (${reason}), base64:\ndata: ${frame.toString('base64')}\n`);
      continue;
    }
    out.push(renderMessage(message));
  }
  return out.join('\n');
}

/** One decoded frame: its type as the SSE event name, its payload as the data. */
function renderMessage(message: Message): string {
  const kind = eventHeader(message, ':message-type') || 'event';
  if (kind === 'error') {
    const payload = { errorCode: eventHeader(message, ':error-code'), errorMessage: eventHeader(message, ':error-message') };
    return `event: error\n: message-type error\ndata: ${JSON.stringify(payload)}\n`;
  }
  const name = kind === 'exception' ? eventHeader(message, ':exception-type') : eventHeader(message, ':event-type');
  const head = `event: ${name || kind}\n${kind === 'event' ? '' : `: message-type ${kind}\n`}`;
  return `${head}${dataLines(payloadText(message.body))}`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as UTF-8 text, or null when they are not UTF-8. */
function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The payload as one line of JSON (a base64 `bytes` field decoded), else its text, else base64. */
function payloadText(body: Uint8Array): string {
  if (body.length === 0) return '';
  const text = utf8Text(body);
  if (text === null) return `(not UTF-8, base64) ${Buffer.from(body).toString('base64')}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(withDecodedBytes(parsed));
}

/** `{"bytes": "<base64>"}` with the bytes decoded: as JSON when they hold JSON, else as text. */
function withDecodedBytes(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const record = payload as Record<string, unknown>;
  if (typeof record.bytes !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(record.bytes)) return payload;
  const decoded = utf8Text(Buffer.from(record.bytes, 'base64'));
  if (decoded === null) return payload;
  let inner: unknown = decoded;
  try {
    inner = JSON.parse(decoded);
  } catch {
    // Text that is not JSON is shown as text.
  }
  return withFields(record, { bytes: inner });
}

/** SSE data lines: each line of the payload on its own `data:` line. */
function dataLines(text: string): string {
  return `${text.split('\n').map((line) => `data: ${line}`).join('\n')}\n`;
}

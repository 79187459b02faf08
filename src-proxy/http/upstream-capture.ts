/**
 * Body capture's record of the upstream leg (the translation view, issue 15): the headers sent,
 * the status and headers that came back and the answer's bytes as the adapter read them (a
 * non-stream JSON body, or the raw SSE / NDJSON / event-stream text). Created only while body
 * capture is on, so the hot path never pays for it; the kept bytes stop at the capture bound and
 * say they were cut. The last attempt wins: a failed attempt's record is replaced by the next.
 *
 * An AWS event stream (Bedrock) is binary: kept as bytes, it is decoded into an SSE-shaped
 * transcript of its events when the row is written (wire/aws-event-stream.ts) — here, because the
 * history stores text and the bytes as UTF-8 text would lose the framing for good. Decoded, the
 * payloads' secrets and listed fields are redacted like any other stream's.
 */
import type { NativeStream, UpstreamCapture } from '../providers/types.ts';
import { redactSecrets } from '../upstream/errors.ts';
import { redactUrl } from '../security/redact.ts';
import { REDACTED } from '../security/capture-redaction.ts';
import { eventStreamTranscript, isEventStream } from '../wire/aws-event-stream.ts';

/** Bound of every captured body (characters of text, bytes of an upstream answer). */
export const CAPTURE_LIMIT = 2_000_000;
export const TRUNCATED_MARK = '…[truncated]';

export function boundCapture(text: string): string {
  return text.length > CAPTURE_LIMIT ? `${text.slice(0, CAPTURE_LIMIT)}${TRUNCATED_MARK}` : text;
}

type HeaderValues = Record<string, string | string[] | undefined>;

/**
 * Request headers shown with their value: the ones Switchboard writes itself and that never carry
 * a credential. Every other header sent upstream (a key header, or one the user configured on the
 * provider, which may hold a second secret) is kept by name only.
 */
const PLAIN_REQUEST_HEADERS = new Set([
  'accept', 'accept-encoding', 'content-type', 'content-length', 'user-agent', 'host', 'connection',
  'anthropic-version', 'anthropic-beta', 'openai-beta', 'api-version', 'x-amz-date', 'x-amz-content-sha256',
]);

export interface UpstreamLeg {
  /** The upstream address, with query keys and the key's secret masked. */
  url: string | null;
  requestHeaders: HeaderValues | null;
  status: number | null;
  responseHeaders: HeaderValues | null;
  /** The answer as text (unredacted here; Exchange.finish redacts), or null if none came. */
  response: string | null;
}

export interface UpstreamCaptureState extends UpstreamCapture {
  leg(): UpstreamLeg;
}

export function createUpstreamCapture(limit = CAPTURE_LIMIT): UpstreamCaptureState {
  let url: string | null = null;
  let secrets: readonly string[] = [];
  let requestHeaders: HeaderValues | null = null;
  let status: number | null = null;
  let responseHeaders: HeaderValues | null = null;
  let chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let text: string | null = null;
  let eventStream = false;

  const scrub = (value: string): string => redactSecrets(value, secrets);
  const scrubbed = (headers: HeaderValues): HeaderValues => {
    const out: HeaderValues = {};
    // Lower-case names, as the client's own headers are shown (HTTP names are case-insensitive).
    for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.map(scrub) : value === undefined ? value : scrub(value);
    return out;
  };

  function keep(chunk: Buffer): void {
    if (truncated) return;
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      size = limit;
      truncated = true;
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
  }

  /** The kept answer as text: an event stream as its transcript (bounded: decoding may lengthen it). */
  function answerText(bytes: Buffer): string {
    if (!eventStream) return bytes.toString('utf8');
    const transcript = eventStreamTranscript(bytes, truncated);
    return transcript.length > limit ? `${transcript.slice(0, limit)}${truncated ? '' : TRUNCATED_MARK}` : transcript;
  }

  async function* tee(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of body) {
      keep(chunk);
      yield chunk;
    }
  }

  return {
    request(call) {
      secrets = call.secrets;
      url = redactUrl(scrub(call.url));
      requestHeaders = {};
      for (const [name, value] of Object.entries(call.headers)) {
        const lower = name.toLowerCase();
        requestHeaders[lower] = PLAIN_REQUEST_HEADERS.has(lower) ? scrub(value) : REDACTED;
      }
      status = null;
      responseHeaders = null;
      chunks = [];
      size = 0;
      truncated = false;
      text = null;
      eventStream = false;
    },
    failed(answerStatus, headers, body) {
      status = answerStatus;
      responseHeaders = scrubbed(headers);
      text = scrub(boundCapture(body));
    },
    answered(native: NativeStream): NativeStream {
      status = native.response.status;
      responseHeaders = scrubbed(native.response.headers);
      text = null;
      eventStream = isEventStream(native.response.headers['content-type']);
      return { response: native.response, body: tee(native.body) };
    },
    leg() {
      const response = text ?? (status === null ? null : scrub(answerText(Buffer.concat(chunks))) + (truncated ? TRUNCATED_MARK : ''));
      return { url, requestHeaders, status, responseHeaders, response };
    },
  };
}

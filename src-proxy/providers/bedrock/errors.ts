/**
 * Bedrock's errors (docs/wire-formats.md, "AWS Bedrock"): the exception name travels in the
 * `x-amzn-ErrorType` header (`ThrottlingException:http://…`), sometimes as `__type` in the body,
 * and the body is `{"message": "…"}` (or `Message`). Inside a ConverseStream the same names come
 * as `:exception-type` frames (camel-cased). The name, not the status, says whether the key is at
 * fault (it rests), the model or request is (it does not), or the service is busy.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type ErrorCode } from '../../errors/codes.ts';
import { parseRetryAfter, redactSecrets, upstreamStatusError } from '../../upstream/errors.ts';
import { readFirstChunk } from '../../upstream/http-client.ts';
import { noteAnswer } from '../../upstream/open-upstream.ts';
import type { NativeStream, UpstreamContext } from '../types.ts';

const KEY_FAULTS = new Set([
  'unrecognizedclientexception', 'invalidsignatureexception', 'incompletesignatureexception', 'missingauthenticationtokenexception',
  'expiredtokenexception', 'invalidclienttokenid', 'signaturedoesnotmatch', 'unauthorizedexception',
]);
const BUSY = new Set(['throttlingexception', 'servicequotaexceededexception', 'modelnotreadyexception', 'toomanyrequestsexception']);

/** The gateway code for a Bedrock exception name (any casing) and its message; undefined when unknown. */
export function codeOfBedrockException(name: string, message: string): ErrorCode | undefined {
  const type = name.toLowerCase();
  if (KEY_FAULTS.has(type)) return 'upstream_auth_failed';
  if (BUSY.has(type)) return 'upstream_rate_limited';
  switch (type) {
    case 'accessdeniedexception':
      // "User: arn:… is not authorized to perform: bedrock:InvokeModel" is about these credentials
      // (another key may hold the permission); "You don't have access to the model" is about the model.
      return /not authorized to perform|security token|credential/i.test(message) ? 'upstream_auth_failed' : 'upstream_forbidden';
    case 'validationexception':
      return /model identifier is invalid|model.*(not found|does not exist)/i.test(message) ? 'model_not_found' : 'invalid_request';
    case 'resourcenotfoundexception':
      return 'model_not_found';
    case 'modeltimeoutexception':
      return 'upstream_timeout';
    case 'modelerrorexception':
    case 'modelstreamerrorexception':
    case 'internalserverexception':
    case 'serviceunavailableexception':
      return 'upstream_error';
    default:
      return undefined;
  }
}

function exceptionName(headers: IncomingHttpHeaders, body: Record<string, unknown>): string {
  const header = headers['x-amzn-errortype'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? (typeof body.__type === 'string' ? body.__type : '');
  // `ThrottlingException:http://internal…` and `com.amazon.coral#ThrottlingException` both occur.
  return raw.split(':')[0]!.split('#').pop() ?? '';
}

export function bedrockStatusError(label: string, status: number, headers: IncomingHttpHeaders, text: string, secrets: readonly string[]): GatewayError {
  const fallback = upstreamStatusError(label, status, headers, text, secrets);
  let body: Record<string, unknown> = {};
  try {
    body = (JSON.parse(text) ?? {}) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page): the generic mapping stands.
  }
  const name = exceptionName(headers, body);
  const message = redactSecrets(String(body.message ?? body.Message ?? ''), secrets);
  const code = codeOfBedrockException(name, message);
  if (!code) return fallback;
  return new GatewayError(code, `${label} answered ${status} ${name}${message ? `: ${message}` : ''}`, {
    status: code === 'upstream_error' ? 502 : status,
    retryAfterSeconds: parseRetryAfter(headers['retry-after']),
    upstreamBody: fallback.upstreamBody,
  });
}

export interface BedrockCall {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  providerLabel: string;
  secrets: readonly string[];
}

/** openUpstream with Bedrock's error mapping: resolves once the status is 2xx and a first chunk arrived. */
export async function openBedrock(context: UpstreamContext, call: BedrockCall): Promise<NativeStream> {
  if (call.body !== undefined) context.captureUpstreamBody?.(call.body);
  context.captureUpstream?.request({ url: call.url.href, headers: call.headers, secrets: call.secrets });
  const response = await context.http.send({
    url: call.url.href, method: call.method, headers: call.headers, body: call.body,
    signal: context.signal, timeouts: context.timeouts, client: context.client, pace: context.pace,
  });
  noteAnswer(context, response);
  if (response.status < 200 || response.status >= 300) {
    const text = await response.text().catch(() => '');
    response.dispose();
    context.captureUpstream?.failed(response.status, response.headers, text);
    throw bedrockStatusError(call.providerLabel, response.status, response.headers, text, call.secrets);
  }
  try {
    const native = { response, body: await readFirstChunk(response.body) };
    return context.captureUpstream ? context.captureUpstream.answered(native) : native;
  } catch (error) {
    response.dispose();
    throw error;
  }
}

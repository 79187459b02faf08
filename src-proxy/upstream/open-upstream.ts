/**
 * Sends one upstream request and returns only once the answer is known to be good: a 2xx status
 * and the first body chunk. Everything before that point may still be retried elsewhere by the
 * router; everything after it belongs to the client.
 */
import type { UpstreamContext, NativeStream } from '../providers/types.ts';
import { GatewayError } from '../errors/codes.ts';
import { upstreamStatusError } from './errors.ts';
import { firstChunkInHand, readFirstChunk, readText, type UpstreamRequest, type UpstreamResponse } from './http-client.ts';

export interface OpenUpstreamOptions {
  url: string;
  method?: UpstreamRequest['method'];
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Used in error messages: "openrouter answered 429: …" */
  providerLabel: string;
  /** Scrubbed from any upstream error text. */
  secrets: readonly string[];
}

export async function openUpstream(context: UpstreamContext, options: OpenUpstreamOptions): Promise<NativeStream> {
  if (options.body !== undefined && context.captureUpstreamBody) {
    context.captureUpstreamBody(typeof options.body === 'string' ? options.body : options.body.toString('utf8'));
  }
  context.captureUpstream?.request({ url: options.url, headers: options.headers, secrets: options.secrets });
  const response = await context.http.send({
    url: options.url,
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: options.headers,
    body: options.body,
    signal: context.signal,
    timeouts: context.timeouts,
    client: context.client,
    pace: context.pace,
  });
  noteAnswer(context, response);
  if (response.status < 200 || response.status >= 300) {
    const text = await response.text().catch(() => '');
    response.dispose();
    context.captureUpstream?.failed(response.status, response.headers, text);
    throw upstreamStatusError(options.providerLabel, response.status, response.headers, text, options.secrets);
  }
  try {
    const native = { response, body: firstChunkInHand(response.body) ?? (await readFirstChunk(response.body)) };
    return context.captureUpstream ? context.captureUpstream.answered(native) : native;
  } catch (error) {
    response.dispose();
    throw error;
  }
}

/** Notes the HTTP version the provider answered in, for the attempt's history entry (router.ts). */
export function noteAnswer(context: UpstreamContext, response: UpstreamResponse): void {
  if (context.answers !== undefined) context.answers.upstreamProtocol = response.protocol;
}

/** Reads a whole (small) JSON answer of a successful upstream call. */
export async function readJson(stream: NativeStream, limit = 64 * 1024 * 1024): Promise<unknown> {
  const text = await readText(stream.body, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new GatewayError('upstream_bad_response', 'The provider answer is not valid JSON', { cause: error });
  }
}

/**
 * The JSON body's bytes as they arrived, kept by the body parser (server.ts): the same-dialect
 * fast path forwards them with only its changes spliced in (wire/json-splice.ts), and a step can
 * look for a substring before anything is parsed (the in-chat commands' prefix). The bytes exist
 * anyway (one Buffer, off the JS heap); keeping them is one property write, and the decoded text
 * is left to die young once it is parsed.
 */
import type { FastifyRequest } from 'fastify';

const RAW_BODY = Symbol('rawBody');
type WithRawBody = FastifyRequest & { [RAW_BODY]?: Buffer };

export function keepRawBody(request: FastifyRequest, bytes: Buffer): void {
  (request as WithRawBody)[RAW_BODY] = bytes;
}

/** The body's bytes, or undefined when it was not a JSON body read by the gateway's parser. */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return (request as WithRawBody)[RAW_BODY];
}

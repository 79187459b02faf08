/**
 * The JSON body's text as it arrived, kept by the body parser (server.ts) so a step can look for
 * a substring before anything is parsed (the in-chat commands' prefix): the text exists anyway,
 * keeping it is one property write.
 */
import type { FastifyRequest } from 'fastify';

const RAW_BODY = Symbol('rawBody');
type WithRawBody = FastifyRequest & { [RAW_BODY]?: string };

export function keepRawBody(request: FastifyRequest, text: string): void {
  (request as WithRawBody)[RAW_BODY] = text;
}

/** The body's text, or undefined when it was not a JSON body read by the gateway's parser. */
export function rawBodyOf(request: FastifyRequest): string | undefined {
  return (request as WithRawBody)[RAW_BODY];
}

/**
 * Sends an error in the client's dialect when nothing of the answer was sent yet, and records
 * the history row (durably, before the error leaves: Exchange.finishThenSend — so await it, or
 * the route would end before its answer). Same-dialect
 * upstream errors keep the provider's own body when asked.
 */
import { GatewayError, toGatewayError } from '../errors/codes.ts';
import type { ErrorResponse } from './route-config.ts';
import type { Exchange } from './exchange.ts';
import { settleContentType } from './reply-headers.ts';

export async function respondError(
  exchange: Exchange,
  thrown: unknown,
  render: (error: GatewayError) => ErrorResponse,
  /** The door's error shape: an upstream error body of the same shape goes through unchanged. */
  errorShape: string,
): Promise<void> {
  const error = toGatewayError(thrown);
  // "The log has the details" must stay true for the errors nobody anticipated.
  if (error.code === 'internal_error') exchange.request.log.error({ err: thrown, requestId: exchange.id }, 'request failed unexpectedly');
  const reply = exchange.reply;
  if (reply.sent || exchange.reply.raw.headersSent) {
    // The stream helpers already reported it in-band.
    exchange.finish(200, error);
    return;
  }
  if (exchange.abort.signal.aborted && exchange.reply.raw.destroyed) {
    // Nobody is left to answer: whatever failed, it failed because the client went away.
    exchange.finish(499, new GatewayError('client_closed'));
    return;
  }
  const upstream = error.upstreamBody;
  if (upstream && upstream.status >= 400 && exchange.lastUpstreamErrorShape() === errorShape) {
    // Headers before the row (a captured row shows them), the body once the row is durable.
    reply.code(upstream.status).header('content-type', upstream.contentType ?? 'application/json');
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    reply.header('x-request-id', exchange.id);
    if (exchange.captureBodies) settleContentType(reply, upstream.body);
    await exchange.finishThenSend(upstream.status, error, () => reply.send(upstream.body));
    return;
  }
  const rendered = render(error);
  reply.code(rendered.status).headers(rendered.headers ?? {}).header('x-request-id', exchange.id);
  if (exchange.captureBodies) settleContentType(reply, rendered.body);
  await exchange.finishThenSend(rendered.status, error, () => reply.send(rendered.body));
}

/**
 * An inbound dialect (a front door) owns the routes a client calls, parses the client's body into
 * the canonical request, and renders canonical events back as that client's wire format, errors
 * included. Adding a dialect = one folder + one line in registry.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { DialectName } from '../canonical/types.ts';
import type { GatewayError } from '../errors/codes.ts';
import type { DialectContext } from '../http/dialect-context.ts';
import type { ErrorResponse } from '../http/route-config.ts';

export interface Dialect {
  readonly name: DialectName;
  /** The dialect's error body for a status (before any byte of the answer was sent). */
  renderError(error: GatewayError): ErrorResponse;
  register(app: FastifyInstance, context: DialectContext): void;
}

/**
 * A front door (an inbound dialect, dialects/<name>/) owns the routes a client calls, parses the
 * client's body into the canonical request, and renders canonical events back as that client's
 * wire format, errors included. It declares what the layers around it need: the paths it owns,
 * where its clients put their token, the base URL tools are given, its error shape.
 * Adding a front door = one folder + one line in registry.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayError } from '../errors/codes.ts';
import type { DialectContext } from '../http/dialect-context.ts';
import type { ClientTokenSource, ErrorResponse } from '../http/route-config.ts';

export interface Dialect<Name extends string = string> {
  readonly name: Name;
  /**
   * URL path prefixes this door owns ('/v1/messages', '/api/'). A request that matches no route
   * gets the error shape of the door with the longest matching prefix.
   */
  readonly pathPrefixes: readonly string[];
  /** The base URL to give tools, as a path under the gateway's origin; absent when it shares another door's. */
  readonly endpoint?: { label: string; path: string };
  /**
   * The wire shape of this door's error bodies ('openai', 'anthropic', …): an upstream error body
   * of a provider with the same shape goes to the client unchanged, since its SDK reads it.
   */
  readonly errorShape: string;
  /** Where this door's clients put their key (it carries the Switchboard client token). */
  readonly clientToken: ClientTokenSource;
  /** The door's error body for a status (before any byte of the answer was sent). */
  renderError(error: GatewayError): ErrorResponse;
  register(app: FastifyInstance, context: DialectContext): void;
}

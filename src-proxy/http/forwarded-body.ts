/**
 * A same-dialect call whose parsed body is let go once the forwarded bytes are built. A coding
 * agent's 64 KB conversation parses into ~67 KB of strings and objects; held through the upstream
 * wait (ten such requests in flight at c=10), each tree survives the young generation's scavenges
 * and is promoted, and the old generation's full collections follow. Everything that reads the
 * tree before the call goes out — the body check, the session seed, the tool-loop hint, the
 * routing rules, the cache key, the adapter's splice — reads it through `body`; then the router
 * calls release() (http/route-chat.ts) and only the client's bytes stay, off the JS heap. A later
 * reader (a failover to another target, the canonical parse of a translated attempt) gets the
 * same bytes parsed again: they parsed before, passed Fastify's poisoning checks and the body
 * schema, so the second parse is the same tree.
 *
 * Without the bytes (a body that was changed before forwarding) release() keeps the tree.
 * `body` is a getter on the prototype: a spread copy of this object has no body (the adapters
 * that take these calls spread `call.body`, never the call).
 */
import type { FastifyRequest } from 'fastify';
import type { NativeCall } from '../providers/types.ts';

/** Where a front door's readers find the parsed body (a plain `{ body }` where nothing is released). */
export interface BodySource {
  readonly body: Record<string, unknown>;
}

export class ForwardedBody implements NativeCall, BodySource {
  private tree: Record<string, unknown> | null;

  constructor(
    readonly endpoint: string,
    tree: Record<string, unknown>,
    readonly stream: boolean,
    readonly raw: Buffer | undefined,
  ) {
    this.tree = tree;
  }

  get body(): Record<string, unknown> {
    return (this.tree ??= reparse(this.raw!));
  }

  /** The forwarded bytes are built: the tree may go (parsed again from the bytes if asked). */
  release(): void {
    if (this.raw !== undefined) this.tree = null;
  }
}

/** The body's bytes parsed as the gateway's body parser did (a UTF-8 BOM is skipped there too). */
function reparse(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
}

/**
 * Fastify keeps the parsed body on the request for the request's whole life; once a front door
 * holds it in a ForwardedBody that can release it, the request's reference would keep it anyway.
 */
export function dropRequestBody(request: FastifyRequest): void {
  request.body = undefined;
}

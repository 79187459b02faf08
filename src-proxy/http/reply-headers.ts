/**
 * The headers a client got, for body capture only (the translation view's "Client got" pane). A
 * stream's header block is on the wire before its history row is made: it is read back as sent.
 * A whole answer's row is made before its last bytes go out (durability first), once its headers
 * are set: those are what it gets, plus the length Node adds when it sends the body. Its content
 * type is settled first (`settleContentType`) as Fastify's send would, so the row shows the one sent.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

export function replyHeaders(reply: FastifyReply): Record<string, string | string[]> {
  // `_header` is Node's written header block (set once the head is sent): exactly what went out.
  const block = (reply.raw as ServerResponse & { _header?: unknown })._header;
  if (reply.raw.headersSent && typeof block === 'string') return headerBlock(block);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = typeof value === 'number' ? String(value) : value;
  }
  return headers;
}

/**
 * Sets the content type Fastify's send would give this body (none: by its type; a JSON type
 * without a charset: `; charset=utf-8` appended), so a captured row holds the header that goes out.
 * Called only with capture on; Fastify leaves a type that already has a charset as it is.
 */
export function settleContentType(reply: FastifyReply, body: unknown): void {
  const type = reply.getHeader('content-type');
  if (type === undefined) {
    if (Buffer.isBuffer(body)) reply.header('content-type', 'application/octet-stream');
    else reply.header('content-type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
  } else if (typeof type === 'string' && !Buffer.isBuffer(body) && type.includes('json') && !/;\s*charset=/i.test(type)) {
    reply.header('content-type', `${type.trim().replace(/;\s*$/, '')}; charset=utf-8`);
  }
}

/** `Name: value` lines after the status line; a repeated name's values joined as one. */
function headerBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

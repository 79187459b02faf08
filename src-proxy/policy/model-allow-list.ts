/**
 * Which model names a client may use. Entries are exact names or `*` patterns (`claude-*`); a
 * name holding `/` (a provider/model address) matches only entries that hold a `/` themselves,
 * so `*` means "every alias and model name" and never opens the raw provider addresses — those
 * must be listed (`openrouter/*`, `anthropic/claude-sonnet-4`).
 */
export interface AllowList {
  readonly entries: readonly string[];
  allows(model: string): boolean;
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

const MAX_REMEMBERED = 512;

/** Compiled once per client configuration; answers are remembered per name (bounded). */
export function compileAllowList(entries: readonly string[]): AllowList {
  const exact = new Set(entries.filter((entry) => !entry.includes('*')));
  const patterns = entries.filter((entry) => entry.includes('*')).map((entry) => ({ address: entry.includes('/'), regexp: patternToRegExp(entry) }));
  const remembered = new Map<string, boolean>();
  return {
    entries,
    allows(model) {
      if (exact.has(model)) return true;
      const known = remembered.get(model);
      if (known !== undefined) return known;
      const address = model.includes('/');
      const allowed = patterns.some((pattern) => pattern.address === address && pattern.regexp.test(model));
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(model, allowed);
      return allowed;
    },
  };
}

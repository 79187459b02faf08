import type { ConfigChanges, EntityChanges } from '../domain/config-file.ts';

/**
 * One line for a human: "2 providers added (openrouter, anthropic); 1 alias removed (old);
 * 1 key added, 1 key removed; settings changed: recordBodies" — or "no changes".
 */
export function describeChanges(changes: ConfigChanges): string {
  const parts = [
    ...describeEntities(changes.providers, 'provider', 'providers'),
    ...describeEntities(changes.aliases, 'alias', 'aliases'),
    ...describeEntities(changes.clients, 'client', 'clients'),
  ];
  const keys = [
    changes.keys.added > 0 ? `${count(changes.keys.added, 'key', 'keys')} added` : null,
    changes.keys.removed > 0 ? `${count(changes.keys.removed, 'key', 'keys')} removed` : null,
  ].filter((part): part is string => part !== null);
  if (keys.length > 0) parts.push(keys.join(', '));
  if (changes.settings.length > 0) parts.push(`settings changed: ${changes.settings.join(', ')}`);
  if (changes.prices > 0) parts.push(`${count(changes.prices, 'price', 'prices')} changed`);
  return parts.length > 0 ? parts.join('; ') : 'no changes';
}

/** True when the apply changed (or would change) nothing. */
export function isUnchanged(changes: ConfigChanges): boolean {
  return describeChanges(changes) === 'no changes';
}

function describeEntities(changes: EntityChanges, one: string, many: string): string[] {
  const verbs: Array<[keyof EntityChanges, string]> = [['added', 'added'], ['changed', 'changed'], ['removed', 'removed']];
  return verbs.flatMap(([field, verb]) => {
    const names = changes[field];
    if (names.length === 0) return [];
    const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
    return [`${count(names.length, one, many)} ${verb} (${shown})`];
  });
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

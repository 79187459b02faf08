import type { AliasTarget } from '../domain/alias.ts';

/** `"openrouter/anthropic/claude-sonnet-4"` → provider `openrouter`, model `anthropic/claude-sonnet-4` (split at the first `/`). */
export function parseTargetAddress(address: string): AliasTarget | null {
  const slash = address.indexOf('/');
  if (slash <= 0 || slash === address.length - 1) return null;
  return { provider: address.slice(0, slash), model: address.slice(slash + 1) };
}

export function toTarget(value: string | AliasTarget): AliasTarget | null {
  return typeof value === 'string' ? parseTargetAddress(value) : value;
}

/** The compact form for export: the address string unless the target carries overrides. */
export function formatTarget(target: AliasTarget): string | AliasTarget {
  return target.overrides && Object.keys(target.overrides).length > 0 ? target : `${target.provider}/${target.model}`;
}

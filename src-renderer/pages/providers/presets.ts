import type { ProviderKindInfo, ProviderPreset } from '../../../src-proxy/control/contract.ts';

/** A preset with the kind it belongs to, as the "add provider" list shows it. */
export interface KindPreset extends ProviderPreset {
  kind: ProviderKindInfo;
}

/** Every kind's presets, in the engine's registry order (each provider folder declares its own). */
export function presetsOf(kinds: readonly ProviderKindInfo[]): KindPreset[] {
  return kinds.flatMap((kind) => kind.presets.map((preset) => ({ ...preset, kind })));
}

/** The label of a kind ("OpenAI-compatible"), or the kind itself when the engine does not know it. */
export function kindLabel(kinds: readonly ProviderKindInfo[] | undefined, kind: string): string {
  return kinds?.find((entry) => entry.kind === kind)?.label ?? kind;
}

/** A free id near the wanted one: openai, openai-2, … */
export function suggestProviderId(wanted: string, taken: readonly string[]): string {
  if (!taken.includes(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.includes(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

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

const GROUP_TITLES: Record<ProviderPreset['group'], string> = {
  hosted: 'Model APIs',
  cloud: 'Cloud platforms',
  local: 'On this machine',
  custom: 'Anything else',
};
const GROUP_ORDER: ReadonlyArray<ProviderPreset['group']> = ['hosted', 'cloud', 'local', 'custom'];

/** The picker's sections: presets matching `query` (name, id, kind or base URL), grouped in a fixed order. */
export function presetGroups(presets: readonly KindPreset[], query: string): Array<{ group: ProviderPreset['group']; title: string; presets: KindPreset[] }> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = presets.filter((preset) => {
    const text = `${preset.name} ${preset.id} ${preset.kind.label} ${preset.baseUrl}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  return GROUP_ORDER.map((group) => ({ group, title: GROUP_TITLES[group], presets: matches.filter((preset) => preset.group === group) })).filter((section) => section.presets.length > 0);
}

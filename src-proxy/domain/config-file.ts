/**
 * The configuration file format (`serve --config`, import and export). config/schema.ts
 * validates it and checks at compile time that what it accepts is this type.
 */
import type { AliasTarget } from './alias.ts';
import type { ModelMetadata } from './model-metadata.ts';
import type { ProviderInput } from './provider.ts';
import type { SettingsPatch } from './settings.ts';
import type { Price } from './usage.ts';

export type SwitchboardConfig = {
  providers?: Array<ProviderInput & { keys?: string[] }>;
  models?: Array<{ alias: string; targets: Array<string | AliasTarget>; exposed?: boolean; metadata?: ModelMetadata }>;
  clients?: Array<{ name: string; token?: string }>;
  settings?: SettingsPatch;
  prices?: Price[];
};

/** What an import wrote, per section. */
export interface ImportSummary {
  providers: number;
  keys: number;
  aliases: number;
  clients: number;
  settings: number;
}

/**
 * The configuration file format (`serve --config`, import and export). config/schema.ts
 * validates it and checks at compile time that what it accepts is this type.
 */
import type { AliasCache, AliasTarget, RuleCondition } from './alias.ts';
import type { ClientLimits } from './governance.ts';
import type { ModelMetadata } from './model-metadata.ts';
import type { ProviderInput } from './provider.ts';
import type { KeyEntry } from './provider-key.ts';
import type { SettingsPatch } from './settings.ts';
import type { Price } from './usage.ts';

export type SwitchboardConfig = {
  /** A key is a secret, `{ secret, label, proxy }` or an OAuth2 account (domain/provider-key.ts). */
  providers?: Array<ProviderInput & { keys?: KeyEntry[] }>;
  models?: Array<{
    alias: string;
    targets: Array<string | AliasTarget>;
    rules?: Array<{ when: RuleCondition; targets: Array<string | AliasTarget>; name?: string }>;
    exposed?: boolean;
    metadata?: ModelMetadata;
    cache?: AliasCache;
  }>;
  /** `expiresAt` is an ISO date-time here (epoch ms in the store and the control API). */
  clients?: Array<{ name: string; token?: string; enabled?: boolean; expiresAt?: string | null; models?: string[] | null; limits?: ClientLimits }>;
  settings?: SettingsPatch;
  prices?: Price[];
};

/** Ids (provider ids, alias names, client names) an apply added, changed or removed. */
export interface EntityChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What applying a config (file at start, import, raw editor) changed — or would, on a dry run. */
export interface ConfigChanges {
  providers: EntityChanges;
  aliases: EntityChanges;
  clients: EntityChanges;
  keys: { added: number; removed: number };
  /** Names of settings whose value changed. */
  settings: string[];
  /** Prices added, changed or removed. */
  prices: number;
  /** Tokens generated for clients named without a token: shown once. Empty on a dry run. */
  createdTokens: Array<{ name: string; token: string }>;
  dryRun: boolean;
}

/** The configuration as editable text (the export, JSON, never with secrets). */
export interface ConfigText {
  text: string;
  /** The file `serve --config` applies at each start (it wins for the entities it declares). */
  configFile: string | null;
}

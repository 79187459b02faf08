/**
 * How a provider kind describes itself: its label, its presets, and its provider-specific
 * options as ONE description from which the engine builds the validating schema
 * (`optionsSchemaOf`) and the dashboard renders the form fields. The description is plain data,
 * so it crosses the control API as it is.
 */
import { z } from 'zod';

interface FieldBase {
  /** The key in the provider's `options` object. */
  key: string;
  label: string;
  /** One line under the field in the form (and in the docs). */
  help?: string;
}

export type OptionField =
  | (FieldBase & { type: 'boolean' })
  | (FieldBase & { type: 'string'; placeholder?: string })
  /** A string → string map (e.g. model name → deployment name), edited as lines `key = value`. */
  | (FieldBase & { type: 'map'; keyLabel: string; valueLabel: string });

export type OptionValue = boolean | string | Record<string, string>;

/** The picker's headings: the big clouds, hosted model APIs, servers on this machine, anything else. */
export type PresetGroup = 'cloud' | 'hosted' | 'local' | 'custom';

/** A known service of this kind, so adding one is choosing it and pasting a key. */
export interface ProviderPreset {
  /** Suggested provider id (first part of provider/model addresses). */
  id: string;
  name: string;
  baseUrl: string;
  /** Local servers usually run without a key. */
  needsKey: boolean;
  /** What the key looks like or where it comes from ("starts with sk-", "no key for a local server"). */
  keyHint: string;
  /** Where the key is made (the service's key page), or the setup docs of a local server. */
  keyUrl: string;
  /** Shown grouped under this heading in the picker. */
  group: PresetGroup;
  /** A word on what to fill in, when the base URL alone is not enough. */
  note?: string;
  options?: Record<string, OptionValue>;
}

/** One input of a key made of parts (an AWS access key id, its secret…). */
export interface KeyPart {
  /** The property in the JSON object the parts make up. */
  key: string;
  label: string;
  /** Shown as typed (an access key id) rather than hidden. */
  visible?: boolean;
  optional?: boolean;
}

/**
 * How the dashboard asks for a key of this kind when one password field is not enough. `parts`:
 * a choice of forms, each either one plain secret (no parts) or parts joined into one JSON object;
 * `json-file`: a JSON key file, pasted or uploaded (a Google service-account key). Either way the
 * result is one secret string, stored encrypted and never shown again.
 */
export type KeyForm =
  | { type: 'parts'; choices: ReadonlyArray<{ id: string; label: string; parts?: readonly KeyPart[] }> }
  | { type: 'json-file'; label: string; hint?: string; requiredFields: readonly string[] };

/** What the dashboard (and the docs) know about a kind; the engine's side adds the adapter. */
export interface ProviderKindInfo {
  kind: string;
  /** e.g. "OpenAI-compatible". */
  label: string;
  /** The provider-specific options, in form order. */
  options: readonly OptionField[];
  /** True when the kind works without a key (a local server). */
  keyOptional: boolean;
  presets: readonly ProviderPreset[];
  /** A key form of its own (absent: one password field). */
  keyForm?: KeyForm;
}

const FIELD_SCHEMAS = {
  boolean: () => z.boolean(),
  string: () => z.string(),
  map: () => z.record(z.string(), z.string()),
} as const;

/** The strict schema of a kind's `options` object: every described field optional, nothing else. */
export function optionsSchemaOf(fields: readonly OptionField[]): z.ZodType<Record<string, OptionValue>> {
  return z.object(Object.fromEntries(fields.map((field) => [field.key, FIELD_SCHEMAS[field.type]().optional()]))).strict() as unknown as z.ZodType<
    Record<string, OptionValue>
  >;
}

type ValueOf<Field extends OptionField> = Field extends { type: 'boolean' } ? boolean : Field extends { type: 'string' } ? string : Record<string, string>;

/** The TypeScript view of a kind's options, derived from the same description. */
export type OptionsOf<Fields extends readonly OptionField[]> = { [Field in Fields[number] as Field['key']]?: ValueOf<Field> };

/**
 * A provider's options as its kind describes them. Safe because every write path checks options
 * against the kind's schema (ProviderCatalog.check) before they are stored.
 */
export function optionsOf<Fields extends readonly OptionField[]>(provider: { options: Record<string, unknown> }, _fields: Fields): OptionsOf<Fields> {
  return provider.options as OptionsOf<Fields>;
}

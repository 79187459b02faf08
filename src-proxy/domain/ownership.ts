/**
 * Who owns an entity (provider, key, alias, client token). `config`: declared in the file given
 * to `serve --config`; it is made to match the file at each start, so edits made elsewhere are
 * overwritten then. `dashboard`: the dashboard's own client token. null: created by the user (UI,
 * CLI or an import) and never touched by the config file.
 */
export type ManagedBy = 'config' | 'dashboard' | null;

/** A stored owner mark, read back; anything unknown counts as the user's. */
export function toManagedBy(value: string | null): ManagedBy {
  return value === 'config' || value === 'dashboard' ? value : null;
}

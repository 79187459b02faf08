/**
 * JSON columns are written only by this store from validated values, so reading them back
 * trusts their shape; this is the one place that cast lives.
 */
export function readJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** A value's JSON, or the text itself when the caller holds the value as JSON text already. */
export function writeJsonText(value: Record<string, unknown> | string): string {
  return typeof value === 'string' ? value : writeJson(value);
}

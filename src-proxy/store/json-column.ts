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

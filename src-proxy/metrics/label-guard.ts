/**
 * Keeps a metric label's values bounded: the first `limit` distinct values of a label are kept
 * as they are, every later one reads "other", so a client sending made-up model or client names
 * cannot grow the series without end. Values are cut to 64 characters.
 */
export const OTHER_LABEL_VALUE = 'other';
const MAX_VALUE_LENGTH = 64;

export interface LabelGuard {
  value(label: string, raw: string | null | undefined): string;
}

export function createLabelGuard(limit: number): LabelGuard {
  const seen = new Map<string, Set<string>>();
  return {
    value(label, raw) {
      if (raw === null || raw === undefined || raw === '') return 'none';
      const value = raw.length > MAX_VALUE_LENGTH ? raw.slice(0, MAX_VALUE_LENGTH) : raw;
      let values = seen.get(label);
      if (!values) {
        values = new Set();
        seen.set(label, values);
      }
      if (values.has(value)) return value;
      if (values.size >= limit) return OTHER_LABEL_VALUE;
      values.add(value);
      return value;
    },
  };
}

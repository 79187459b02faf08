import type { ClientLimits } from '../../../src-proxy/control/contract.ts';

/** The limit fields in the order the editor shows them, with what each means. */
export const LIMIT_FIELDS: ReadonlyArray<{ key: keyof ClientLimits; label: string; unit: string; integer: boolean; hint: string }> = [
  { key: 'rpm', label: 'Requests per minute', unit: 'req/min', integer: true, hint: 'Over it: 429 rate_limited with Retry-After.' },
  { key: 'tpm', label: 'Tokens per minute', unit: 'tokens/min', integer: true, hint: 'Input + output; estimated at the start, corrected at the end.' },
  { key: 'concurrency', label: 'Requests at once', unit: 'requests', integer: true, hint: 'Streams count until they end.' },
  { key: 'maxRequests', label: 'Lifetime request cap', unit: 'requests', integer: true, hint: 'Never resets: 429 request_cap_reached when used up.' },
  { key: 'dailyBudgetUsd', label: 'Daily budget', unit: 'USD', integer: false, hint: 'Priced from the Usage page prices; resets at local midnight.' },
  { key: 'monthlyBudgetUsd', label: 'Monthly budget', unit: 'USD', integer: false, hint: 'Resets on the 1st, local time.' },
];

export type LimitsDraft = Record<keyof ClientLimits, string>;

export function toDraft(limits: ClientLimits): LimitsDraft {
  return Object.fromEntries(LIMIT_FIELDS.map(({ key }) => [key, limits[key] === undefined ? '' : String(limits[key])])) as LimitsDraft;
}

/** The draft as limits (empty = no limit), or the first field that is not a valid value. */
export function fromDraft(draft: LimitsDraft): { limits: ClientLimits } | { field: keyof ClientLimits; problem: string } {
  const limits: ClientLimits = {};
  for (const { key, integer, label } of LIMIT_FIELDS) {
    const text = draft[key].trim();
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      return { field: key, problem: `${label}: enter a ${integer ? 'whole number' : 'number'} above 0, or leave it empty for no limit` };
    }
    limits[key] = value;
  }
  return { limits };
}

/** `YYYY-MM-DDTHH:mm` in local time, what <input type="datetime-local"> holds. */
export function toLocalInput(epochMs: number | null): string {
  if (epochMs === null) return '';
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(text: string): number | null {
  if (text.trim() === '') return null;
  const value = new Date(text).getTime();
  return Number.isFinite(value) ? value : null;
}

/** A one-line summary of limits for the client card. */
export function describeLimits(limits: ClientLimits): string {
  const parts: string[] = [];
  if (limits.rpm !== undefined) parts.push(`${limits.rpm} req/min`);
  if (limits.tpm !== undefined) parts.push(`${limits.tpm.toLocaleString()} tokens/min`);
  if (limits.concurrency !== undefined) parts.push(`${limits.concurrency} at once`);
  return parts.length > 0 ? parts.join(' · ') : 'No rate limits';
}

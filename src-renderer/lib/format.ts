/** Display helpers: one place for how numbers, times and money look. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : integer.format(value);
}

export function formatCompact(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : compact.format(value);
}

/**
 * Money in cents ("$0.31", "$4.62"); amounts under ten cents keep up to four decimals so a single
 * request's cost stays readable ("$0.0035"), without padding zeros ("$0.05", not "$0.0500").
 */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value >= 0.1 || value <= 0) return `$${value.toFixed(2)}`;
  if (value < 0.0001) return '<$0.0001';
  return `$${value.toFixed(4).replace(/0{1,2}$/, '')}`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function formatRelative(epochMs: number | null, now = Date.now()): string {
  if (epochMs === null) return 'never';
  const seconds = Math.round((now - epochMs) / 1000);
  if (seconds < 0) return `in ${formatDuration(-seconds)}`;
  if (seconds < 5) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** One line of `switchboard doctor` / Overview → Run checks, and the report they make. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** Stable id, e.g. `port`, `provider:openai`, `key:openai:3`, `alias:coder`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found. Never holds a secret. */
  detail: string;
  /** What to do about it; null when nothing is needed. */
  fix: string | null;
}

export interface CheckReport {
  /** False when any check failed (warnings do not count). */
  ok: boolean;
  checks: CheckResult[];
  ranAt: number;
}

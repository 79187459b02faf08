import { toControlError } from '../api';

/** The core's message for one field of a refused request (an invalid_request issue at `path`), if any. */
export function issueAt(error: unknown, path: string): string | null {
  if (!error) return null;
  return toControlError(error).issues.find((issue) => issue.path === path)?.message ?? null;
}

/** The error to show at the top of a form: null when every issue it carries is shown at its field. */
export function unplacedError(error: unknown, placed: readonly string[]): unknown {
  if (!error) return null;
  const { issues } = toControlError(error);
  return issues.length > 0 && issues.every((issue) => placed.includes(issue.path)) ? null : error;
}

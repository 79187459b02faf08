/**
 * Small guards for hand-parsing client bodies into the canonical model: each failure names the
 * field at fault (the OpenAI `param`) and ends with what to send instead, so the client's error
 * message says how to fix that field rather than the general invalid_request advice.
 */
import { GatewayError } from '../errors/codes.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One field at fault: where, what is wrong, and what to send instead. */
export interface FieldProblem {
  /** `max_tokens`, `messages[2].role` (the OpenAI `param`). */
  path: string;
  /** `"max_tokens" must be an integer from 1 to 2147483647, not a string` */
  problem: string;
  /** `Send "max_tokens" as an integer from 1 to 2147483647, without quotes` (no final stop). */
  fix: string;
  /** The field may be left out, which is also a fix. */
  optional?: boolean;
}

/** The invalid_request error of one field: the problem, then the field's own fix. */
export function fieldError(problem: FieldProblem): GatewayError {
  const leaveOut = problem.optional ? `, or leave "${problem.path}" out` : '';
  return new GatewayError('invalid_request', problem.problem, { param: problem.path, advice: `${problem.fix}${leaveOut}.` });
}

/**
 * What the client sent instead, for "must be X, not Y". Only its JSON kind, or a number's value:
 * a string field may hold anything (a prompt, a pasted key), so its text is never echoed.
 */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : 'a string';
    case 'number':
      return String(value);
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** A number or true/false sent as text ("10", "true"): the fix is to drop the quotes. */
export function quotedScalar(value: unknown): boolean {
  return typeof value === 'string' && (value === 'true' || value === 'false' || (value.trim() !== '' && Number.isFinite(Number(value))));
}

/** The problem and fix of a field whose value is not what it takes. */
export function mustBe(path: string, expected: string, value: unknown, fix?: string): FieldProblem {
  const shown = `"${path}"`;
  const unquote = quotedScalar(value) && !expected.includes('string') ? ', without quotes' : '';
  return { path, problem: `${shown} must be ${expected}, not ${describeReceived(value)}`, fix: fix ?? `Send ${shown} as ${expected}${unquote}` };
}

/** The problem and fix of a required field that is missing, naming the object it belongs in. */
export function missing(path: string, expected?: string): FieldProblem {
  const dot = path.lastIndexOf('.');
  const name = dot < 0 ? path : path.slice(dot + 1);
  const where = dot < 0 ? 'the top level of the request body' : `"${path.slice(0, dot)}"`;
  return { path, problem: `"${path}" is required`, fix: `Add "${name}"${expected ? ` (${expected})` : ''} to ${where}` };
}

/** A field that is missing (absent or null) or holds something else than `expected`: the problem of either. */
export function absentOr(path: string, expected: string, value: unknown, fix?: string): FieldProblem {
  return value === undefined || value === null ? missing(path, expected) : mustBe(path, expected, value, fix);
}

/** A chat tool call without its "function" object (the OpenAI and Ollama shape). */
export function missingFunction(where: string, call: unknown): FieldProblem {
  if (!isRecord(call)) return mustBe(where, 'an object', call, 'Send each tool call as {"type": "function", "function": {"name": …, "arguments": …}}');
  if (call.function === undefined || call.function === null) return missing(`${where}.function`, 'an object {"name": …, "arguments": …}');
  return mustBe(`${where}.function`, 'an object', call.function, `Send "${where}.function" as {"name": …, "arguments": …}`);
}

export function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw fieldError(absentOr(path, 'a non-empty string', value));
  return value;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw fieldError(mustBe(path, 'an array', value, `Send "${path}" as a JSON array ([…]), even when it holds one entry`));
  return value;
}

export function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw fieldError({ ...mustBe(path, 'a number', value), optional: true });
  return value;
}

export function requireBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw notAnObjectBody(body);
  return body;
}

/** A body that is JSON but not an object (an array, a string, a number). */
export function notAnObjectBody(body: unknown): GatewayError {
  return new GatewayError('invalid_request', `The request body must be a JSON object, not ${describeReceived(body)}`, {
    advice: 'Send the request\'s fields in one JSON object ({"model": …, …}) as the body.',
  });
}

/** data:<media>;base64,<data> → parts, or null for other URLs. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return null;
  return { mediaType: match[1] ?? 'application/octet-stream', data: match[2] ?? '' };
}

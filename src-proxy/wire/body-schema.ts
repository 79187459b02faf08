/**
 * A small declarative schema for client request bodies, checked at every front door before a
 * request is routed — the same-dialect fast path forwards the body as it came, so this is the
 * only place a malformed field (`max_tokens: 1e308`, `messages: "hi"`, `input: []`) is caught
 * before a provider sees it. It checks the fields a dialect defines (type, range, required) and
 * lets every other field through: providers add fields faster than any list could follow.
 *
 * Hand-rolled rather than zod on purpose: it runs on every request of the hot path and walks only
 * the top level and the message list. A body is first checked without paths (`ok`: nothing is
 * allocated, not even a field's path per message of a long conversation); only a body that fails
 * is walked again with paths, to say which field is at fault.
 */
import { fieldError, isRecord, missing, mustBe, notAnObjectBody, quotedScalar, type FieldProblem } from './validate.ts';

/** Checks one value; returns what is wrong (naming the path, with its fix) or null. */
export interface FieldCheck {
  /** "an integer from 1 to 2147483647", for messages and for `either`. */
  readonly describe: string;
  /** Whether the value passes: exactly `check(value, path) === null`, without building a path. */
  ok(value: unknown): boolean;
  check(value: unknown, path: string): FieldProblem | null;
  /** How a fix writes this alternative ("one of … (spelled exactly as listed)", "an object such as {…}"); `describe` when absent. */
  readonly form?: string;
  /** The strings a `oneOf` takes. */
  readonly values?: readonly string[];
}

/** A body's fields; `required` fields must be present and not null. Null means absent otherwise. */
export interface BodySchema {
  fields: Readonly<Record<string, FieldCheck>>;
  required?: readonly string[];
}

const NONE: readonly string[] = [];

/** A check of one value; `fix` says what to send instead when it fails (default: "Send … as …"). */
function simple(describe: string, test: (value: unknown) => boolean, fix?: (path: string, value: unknown) => string): FieldCheck {
  return { describe, ok: test, check: (value, path) => (test(value) ? null : mustBe(path, describe, value, fix?.(path, value))) };
}

/** The largest token count, context size or index any field may name (int32). */
export const MAX_COUNT = 2_147_483_647;

export const field = {
  string(options: { nonEmpty?: boolean } = {}): FieldCheck {
    return simple(options.nonEmpty ? 'a non-empty string' : 'a string', (value) => typeof value === 'string' && (!options.nonEmpty || value !== ''));
  },
  boolean(): FieldCheck {
    return simple('true or false', (value) => typeof value === 'boolean');
  },
  integer(min: number, max: number = MAX_COUNT): FieldCheck {
    return simple(`an integer from ${min} to ${max}`, (value) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max);
  },
  number(min: number, max: number): FieldCheck {
    return simple(`a number from ${min} to ${max}`, (value) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max);
  },
  oneOf(...values: string[]): FieldCheck {
    const allowed = new Set(values);
    const list = values.map((value) => `"${value}"`).join(', ');
    const check = simple(`one of ${list}`, (value) => typeof value === 'string' && allowed.has(value), (path) => `Send one of ${list} in "${path}", spelled exactly as listed`);
    return { describe: check.describe, ok: check.ok, check: check.check, form: `one of ${list} (spelled exactly as listed)`, values };
  },
  matching(pattern: RegExp, describe: string): FieldCheck {
    return simple(describe, (value) => typeof value === 'string' && pattern.test(value));
  },
  /** An array (of items passing `item`), with at least `min` entries. */
  array(item?: FieldCheck, options: { min?: number } = {}): FieldCheck {
    const min = options.min ?? 0;
    const describe = `an array${min > 0 ? ` of at least ${min}` : ''}${item ? ` of ${item.describe}` : ''}`;
    const wrong = (value: unknown, path: string): FieldProblem =>
      Array.isArray(value)
        ? { path, problem: `"${path}" must have at least ${min} ${min === 1 ? 'entry' : 'entries'}, not ${value.length}`, fix: `Put at least ${min} ${min === 1 ? 'entry' : 'entries'} in "${path}"` }
        : mustBe(path, describe, value, `Send "${path}" as a JSON array ([…]) of ${item ? item.describe : 'values'}, even when it holds one entry`);
    return {
      describe,
      ok(value) {
        if (!Array.isArray(value) || value.length < min) return false;
        if (!item) return true;
        for (let index = 0; index < value.length; index++) if (!item.ok(value[index])) return false;
        return true;
      },
      check(value, path) {
        if (!Array.isArray(value) || value.length < min) return wrong(value, path);
        if (!item) return null;
        for (let index = 0; index < value.length; index++) {
          const problem = item.check(value[index], `${path}[${index}]`);
          if (problem) return problem;
        }
        return null;
      },
    };
  },
  /**
   * An object whose listed fields pass their checks (other fields pass). `example` shows its usual
   * form in a fix ('{"type": "function", "name": …}'), for a client that sent something else.
   */
  object(fields: Readonly<Record<string, FieldCheck>> = {}, required: readonly string[] = [], example?: string): FieldCheck {
    const names = required.map((name) => `"${name}"`).join(', ');
    const describe = required.length > 0 ? `an object with ${names}` : 'an object';
    // A required field that takes a list of strings is named with them: 'with "type" one of "auto", "any"'.
    const kinds = required.flatMap((name) => (fields[name]?.values ? [`"${name}" ${fields[name]!.form!}`] : []));
    const shape = example ? `an object such as ${example}` : 'a JSON object ({…})';
    const form = kinds.length > 0 ? `${shape}, with ${kinds.join(', ')}` : required.length > 0 && !example ? `${shape} with ${names}` : shape;
    return {
      describe,
      form,
      ok: (value) => isRecord(value) && fieldsOk(value, fields, required),
      check(value, path) {
        if (!isRecord(value)) return mustBe(path, describe, value, `Send "${path}" as ${wrapping(value, fields, required) ?? form}`);
        return checkFields(value, fields, required, `${path}.`);
      },
    };
  },
  /** Passes when any of the checks passes. */
  either(...checks: FieldCheck[]): FieldCheck {
    const describe = checks.map((check) => check.describe).join(' or ');
    return {
      describe,
      ok(value) {
        for (const check of checks) if (check.ok(value)) return true;
        return false;
      },
      check(value, path) {
        let first: FieldProblem | null = null;
        for (const check of checks) {
          const problem = check.check(value, path);
          if (problem === null) return null;
          first ??= problem;
        }
        // A value of the right kind with a wrong inside (an array with a bad item) says so.
        return checks.length === 1 ? first : explainEither(value, path, checks, describe);
      },
    };
  },
  /** Exactly null (an assistant message with only tool calls has `content: null`). */
  null(): FieldCheck {
    return simple('null', (value) => value === null);
  },
} as const;

/**
 * A string that an object takes as one of its required fields' values: the object to send
 * instead ('{"type": "auto"}' for Anthropic's tool_choice sent as "auto"). The string is one of
 * the listed values, so repeating it echoes nothing the client typed freely.
 */
function wrapping(value: unknown, fields: Readonly<Record<string, FieldCheck>>, required: readonly string[]): string | null {
  if (typeof value !== 'string' || required.length !== 1) return null;
  const name = required[0]!;
  return fields[name]?.values?.includes(value) ? `{"${name}": "${value}"}` : null;
}

function explainEither(value: unknown, path: string, checks: FieldCheck[], describe: string): FieldProblem {
  // When the value is an array or object and one alternative is of that kind, its own
  // (more precise) problem is the useful one.
  for (const check of checks) {
    const kindMatches = (Array.isArray(value) && check.describe.startsWith('an array')) || (isRecord(value) && check.describe.startsWith('an object'));
    if (kindMatches) return check.check(value, path) ?? mustBe(path, describe, value);
  }
  // Otherwise the fix names every form the field takes, the strings it allows spelled out (a
  // number or true/false sent in quotes keeps the advice to drop them).
  if (quotedScalar(value) || !checks.some((check) => check.form !== undefined)) return mustBe(path, describe, value);
  const fix = `Send "${path}" as ${checks.map((check) => check.form ?? check.describe).join(', or as ')}`;
  const problem = mustBe(path, describe, value, fix);
  // "not a string" would mislead when strings are allowed, only not this one.
  const listed = typeof value === 'string' && checks.some((check) => check.values !== undefined);
  return listed ? { ...problem, problem: `"${path}" must be ${describe}, not ${value === '' ? 'an empty string' : 'a string outside that list'}` } : problem;
}

/** checkFields without paths: true exactly when it would find no problem. */
function fieldsOk(body: Record<string, unknown>, fields: Readonly<Record<string, FieldCheck>>, required: readonly string[]): boolean {
  for (const name of required) {
    if (body[name] === undefined || body[name] === null) return false;
  }
  for (const name in fields) {
    const value = body[name];
    if (value !== undefined && value !== null && !fields[name]!.ok(value)) return false;
  }
  return true;
}

function checkFields(body: Record<string, unknown>, fields: Readonly<Record<string, FieldCheck>>, required: readonly string[], prefix: string): FieldProblem | null {
  for (const name of required) {
    if (body[name] === undefined || body[name] === null) return missing(`${prefix}${name}`, fields[name]?.describe);
  }
  for (const name in fields) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    const path = `${prefix}${name}`;
    const problem = fields[name]!.check(value, path);
    // A field of this object that may be absent: leaving it out is a fix too.
    if (problem) return problem.path === path && !required.includes(name) ? { ...problem, optional: true } : problem;
  }
  return null;
}

/** The body as an object that passes `schema`; else invalid_request naming the field at fault. */
export function validBody(body: unknown, schema: BodySchema): Record<string, unknown> {
  if (!isRecord(body)) throw notAnObjectBody(body);
  checkBody(body, schema);
  return body;
}

/** Throws invalid_request naming the first field at fault (the OpenAI `param`) and its fix. */
export function checkBody(body: Record<string, unknown>, schema: BodySchema): void {
  if (fieldsOk(body, schema.fields, schema.required ?? NONE)) return;
  const problem = checkFields(body, schema.fields, schema.required ?? [], '');
  if (problem === null) return;
  throw fieldError(problem);
}

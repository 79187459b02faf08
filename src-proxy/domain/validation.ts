import type { z } from 'zod';
import { GatewayError } from '../errors/codes.ts';

/** `['providers', 0, 'baseUrl']` → `providers[0].baseUrl` (what people see in an editor). */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) text += text ? `.${part}` : part;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text || '(root)';
}

/** One line per issue: `path: message`. Zod messages never echo input values, so no secrets. */
export function describeIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  return error.issues.map((issue) => `${formatIssuePath([...prefix, ...issue.path])}: ${issue.message}`);
}

/** Parses with a schema and turns failure into GatewayError('invalid_request') naming the paths. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new GatewayError('invalid_request', `${what}: ${describeIssues(result.error).join('; ')}`, {
    param: first ? formatIssuePath(first.path) : undefined,
  });
}

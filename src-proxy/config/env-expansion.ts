import { formatIssuePath } from '../domain/validation.ts';
import type { ConfigIssue } from './config-error.ts';

/** `$$` (a literal `$`), `${NAME}`, or a `$` that starts something reference-like. */
const DOLLAR = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$(?=[A-Za-z_{(])/g;

const ONLY_BRACES = 'looks like an environment variable reference, but only ${NAME} is expanded (write $$ for a literal $)';

/**
 * Replaces `${NAME}` in every string value with the environment variable NAME; `$$` is a literal
 * `$`. Anything else that looks like a reference (`$NAME`, `${NAME`, `${1}`, `$(cmd)`) is refused
 * rather than kept as a literal key that then fails at the provider. With `env` null (a config
 * sent over the control API), no reference expands: the engine's environment is not the sender's.
 * Object keys are left alone. Problems are collected as issues naming the path, never the value.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv | null): { value: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];

  function expandString(text: string, path: PropertyKey[]): string {
    if (!text.includes('$')) return text;
    let refused = false;
    const result = text.replace(DOLLAR, (match, name: string | undefined) => {
      if (match === '$$') return '$';
      if (name === undefined) {
        refused = true;
        return match;
      }
      if (env === null) {
        issues.push({ path: formatIssuePath(path), message: `\${${name}}: environment variables only expand in the file given to \`switchboard serve --config\`; put the value itself here` });
        return match;
      }
      const replacement = env[name];
      if (replacement === undefined) {
        issues.push({ path: formatIssuePath(path), message: `environment variable ${name} is not set` });
        return match;
      }
      return replacement;
    });
    if (refused) issues.push({ path: formatIssuePath(path), message: ONLY_BRACES });
    return result;
  }

  function walk(node: unknown, path: PropertyKey[]): unknown {
    if (typeof node === 'string') return expandString(node, path);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  }

  return { value: walk(value, []), issues };
}

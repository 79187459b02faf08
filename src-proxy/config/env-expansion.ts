import { formatIssuePath } from '../domain/validation.ts';
import type { ConfigIssue } from './config-error.ts';

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string value with the environment variable NAME (`$${` stays a
 * literal `${`). Object keys are left alone. Unset variables are collected as issues naming the
 * variable and where it was used, instead of silently becoming empty keys.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv): { value: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];

  function expandString(text: string, path: PropertyKey[]): string {
    return text.replace(REFERENCE, (match, name: string | undefined) => {
      if (name === undefined) return '${';
      const replacement = env[name];
      if (replacement === undefined) {
        issues.push({ path: formatIssuePath(path), message: `environment variable ${name} is not set` });
        return match;
      }
      return replacement;
    });
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

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { SwitchboardConfig } from '../domain/config-file.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { expandEnv } from './env-expansion.ts';
import type { ProviderCatalog } from '../providers/types.ts';
import { JsonSyntaxError, locatePath, parseJsonText, type TextPosition } from './json-text.ts';
import { parseConfig } from './schema.ts';

export type ConfigFormat = 'json' | 'yaml';

export interface ConfigTextOptions {
  /** Named in messages; null for text from the control API. */
  file: string | null;
  format: ConfigFormat;
  /** Environment for `${NAME}`; null refuses every reference (control API). */
  env: NodeJS.ProcessEnv | null;
  /** The provider kinds a gateway serves: each provider is checked against its kind. */
  providers?: Pick<ProviderCatalog, 'check'>;
}

/**
 * Reads a config file: YAML for .yaml/.yml, JSON otherwise; expands `${NAME}` from env; validates.
 * Every failure is one ConfigError naming the file and the path inside it, with line and column.
 * Given the provider kinds a gateway serves, providers are checked against them too.
 */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env, providers?: Pick<ProviderCatalog, 'check'>): SwitchboardConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'the file does not exist' : 'the file cannot be read';
    throw new ConfigError(path, [{ path: '(root)', message: reason }], { cause: error });
  }
  const extension = extname(path).toLowerCase();
  return parseConfigText(text, { file: path, format: extension === '.yaml' || extension === '.yml' ? 'yaml' : 'json', env, providers });
}

/** Config text → validated config; issues carry the line and column of the value at fault. */
export function parseConfigText(text: string, options: ConfigTextOptions): SwitchboardConfig {
  const { value, locate } = options.format === 'yaml' ? readYaml(text, options.file) : readJson(text, options.file);
  const located = (issues: readonly ConfigIssue[]): ConfigIssue[] =>
    issues.map((issue) => ({ ...issue, ...locate(issue.path) }));
  const expanded = expandEnv(value, options.env);
  if (expanded.issues.length > 0) throw new ConfigError(options.file, located(expanded.issues));
  try {
    return parseConfig(expanded.value, options.file, options.providers);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(options.file, located(error.issues), { cause: error.cause });
  }
}

type Locate = (path: string) => TextPosition | Record<string, never>;

function readJson(text: string, file: string | null): { value: unknown; locate: Locate } {
  try {
    const parsed = parseJsonText(text);
    return { value: parsed.value, locate: (path) => locatePath(parsed.positions, splitPath(path)) ?? {} };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    // The scanner's messages never quote the text (it could hold a key).
    throw new ConfigError(file, [{ path: '(root)', message: `not valid JSON: ${error.message}`, ...error.position }]);
  }
}

/** The YAML parser, loaded on the first YAML config (a running engine with a JSON config or none never holds it). */
type Yaml = typeof import('yaml');
let yaml: Yaml | null = null;
const loadYaml = (): Yaml => (yaml ??= createRequire(import.meta.url)('yaml') as Yaml);

function readYaml(text: string, file: string | null): { value: unknown; locate: Locate } {
  const { LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const at = lineCounter.linePos(first.pos[0]);
    // No `cause`: the parser's message quotes the offending line, which could hold a key.
    throw new ConfigError(file, [{ path: '(root)', message: `not valid YAML at line ${at.line}, column ${at.col}`, line: at.line, column: at.col }]);
  }
  return { value: document.toJS() as unknown, locate: (path) => locateYaml(document, lineCounter, splitPath(path)) ?? {} };
}

function locateYaml(document: Document, lineCounter: LineCounter, path: PropertyKey[]): TextPosition | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    const range = node && typeof node === 'object' && 'range' in node ? (node.range as [number, number, number] | undefined) : undefined;
    if (range) {
      const at = lineCounter.linePos(range[0]);
      return { line: at.line, column: at.col };
    }
  }
  return undefined;
}

/** `providers[0].keys[1]` → ['providers', 0, 'keys', 1]; `(root)` → []. */
export function splitPath(path: string): PropertyKey[] {
  if (path === '(root)') return [];
  const parts: PropertyKey[] = [];
  for (const match of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[3] !== undefined) parts.push(JSON.parse(`"${match[3]}"`) as string);
  }
  return parts;
}

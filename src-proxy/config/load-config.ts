import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { SwitchboardConfig } from '../domain/config-file.ts';
import { ConfigError } from './config-error.ts';
import { expandEnv } from './env-expansion.ts';
import type { ProviderCatalog } from '../providers/types.ts';
import { parseConfig } from './schema.ts';

/**
 * Reads a config file: YAML for .yaml/.yml, JSON otherwise; expands `${NAME}` from env; validates.
 * Every failure is one ConfigError naming the file and the path inside it. Given the provider
 * kinds a gateway serves, providers are checked against them too (see parseConfig).
 */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env, providers?: Pick<ProviderCatalog, 'check'>): SwitchboardConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'the file does not exist' : 'the file cannot be read';
    throw new ConfigError(path, [{ path: '(root)', message: reason }], { cause: error });
  }
  const expanded = expandEnv(parseText(path, text), env);
  if (expanded.issues.length > 0) throw new ConfigError(path, expanded.issues);
  return parseConfig(expanded.value, path, providers);
}

function parseText(path: string, text: string): unknown {
  const extension = extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') {
    try {
      return parseYaml(text);
    } catch (error) {
      const position = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      // No `cause`: the parser's message quotes the offending line, which could hold a key.
      throw new ConfigError(path, [{ path: '(root)', message: `not valid YAML${position}` }]);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8's message gives the position ("... in JSON at position 42 (line 3 column 5)") but may
    // quote a fragment of the text, which could be a key: keep only the position, and no cause.
    const message = error instanceof Error ? error.message : '';
    const position = /at position \d+(?: \(line \d+ column \d+\))?/.exec(message)?.[0];
    throw new ConfigError(path, [{ path: '(root)', message: `not valid JSON${position ? ` (${position})` : ''}` }]);
  }
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src-proxy/config/config-error.ts';
import { loadConfigFile } from '../../src-proxy/config/load-config.ts';
import { configWarnings } from '../../src-proxy/config/schema.ts';
import { tempDir } from '../store/helpers.ts';
import { createProviderCatalog } from '../../src-proxy/providers/registry.ts';

function writeConfig(name: string, content: unknown): string {
  const path = join(tempDir(), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const provider = { id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1' };

describe('loading a config file', () => {
  it('expands ${NAME} from the environment in JSON files', () => {
    const path = writeConfig('switchboard.json', { providers: [{ ...provider, keys: ['${OPENROUTER_API_KEY}'], headers: { 'X-Title': 'pre-${APP}-post $${LITERAL}' } }] });
    const config = loadConfigFile(path, { OPENROUTER_API_KEY: 'sk-or-123', APP: 'sb' });
    expect(config.providers?.[0]?.keys).toEqual(['sk-or-123']);
    expect(config.providers?.[0]?.headers).toEqual({ 'X-Title': 'pre-sb-post ${LITERAL}' });
  });

  it('reads YAML for .yaml and .yml files', () => {
    const yaml = `providers:\n  - id: local\n    kind: ollama\n    baseUrl: http://127.0.0.1:11434\nmodels:\n  - alias: fast\n    targets: [local/llama3]\n`;
    for (const name of ['config.yaml', 'config.yml']) {
      const config = loadConfigFile(writeConfig(name, yaml), {});
      expect(config.models?.[0]?.targets).toEqual(['local/llama3']);
    }
  });

  it('names a missing environment variable, the file and where it is used', () => {
    const path = writeConfig('switchboard.json', { providers: [{ ...provider, keys: ['${OPENROUTER_API_KEY}'] }] });
    const error = configError(() => loadConfigFile(path, {}));
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/providers\[0\]\.keys\[0\] \(line 1, column \d+\): environment variable OPENROUTER_API_KEY is not set/);
  });

  it.each([
    ['$NAME', '$OPENROUTER_API_KEY'],
    ['an unclosed ${NAME', '${OPENROUTER_API_KEY'],
    ['${NAME} with a bad name', '${1KEY}'],
    ['a $(command)', '$(cat key.txt)'],
    ['a reference inside text', 'sk-$SUFFIX'],
  ])('refuses %s instead of taking it as a literal key, naming the path, line and column', (_what, value) => {
    const text = `{\n  "providers": [\n    {\n      "id": "openrouter", "kind": "openai", "baseUrl": "https://openrouter.ai/api/v1",\n      "keys": [${JSON.stringify(value)}]\n    }\n  ]\n}\n`;
    const error = configError(() => loadConfigFile(writeConfig('switchboard.json', text), { OPENROUTER_API_KEY: 'sk-set', SUFFIX: 'x' }));
    expect(error.issues).toEqual([{ path: 'providers[0].keys[0]', line: 5, column: 16, message: expect.stringContaining('only ${NAME} is expanded') }]);
    expect(error.message).toContain('providers[0].keys[0] (line 5, column 16)');
  });

  it('keeps $$ as a literal $ and a $ that starts nothing reference-like', () => {
    const path = writeConfig('switchboard.json', { providers: [{ ...provider, headers: { 'X-A': 'cost $$HOME', 'X-B': 'US$ 5', 'X-C': '$${X}' } }] });
    expect(loadConfigFile(path, {}).providers?.[0]?.headers).toEqual({ 'X-A': 'cost $HOME', 'X-B': 'US$ 5', 'X-C': '${X}' });
  });

  it('reports invalid JSON with its line and column', () => {
    const file = writeConfig('switchboard.json', '{\n  "providers": [\n    { "id": "a" }\n    { "id": "b" }\n  ]\n}\n');
    const error = configError(() => loadConfigFile(file, {}));
    expect(error.issues).toEqual([{ path: '(root)', line: 4, column: 5, message: "not valid JSON: expected ',' or ']' after an array item at line 4, column 5" }]);
    expect(error.message).toContain('line 4, column 5');
  });

  it('names the line and column of a schema error in JSON and in YAML', () => {
    const json = writeConfig('switchboard.json', '{\n  "providers": [\n    {\n      "id": "openrouter",\n      "kind": "openai",\n      "baseUrl": "ftp://x"\n    }\n  ]\n}\n');
    expect(configError(() => loadConfigFile(json, {})).issues).toEqual([expect.objectContaining({ path: 'providers[0].baseUrl', line: 6, column: 18 })]);
    const yaml = writeConfig('switchboard.yaml', 'providers:\n  - id: openrouter\n    kind: openai\n    baseUrl: ftp://x\n');
    expect(configError(() => loadConfigFile(yaml, {})).issues).toEqual([expect.objectContaining({ path: 'providers[0].baseUrl', line: 4, column: 14 })]);
  });

  it.each([
    ['a base URL with credentials', { providers: [{ ...provider, baseUrl: 'https://user:pw@example.com/v1' }] }, 'providers[0].baseUrl', 'user name or password'],
    ['a base URL with a query', { providers: [{ ...provider, baseUrl: 'https://example.com/v1?key=abc' }] }, 'providers[0].baseUrl', 'query'],
    ['a non-http base URL', { providers: [{ ...provider, baseUrl: 'ftp://example.com' }] }, 'providers[0].baseUrl', 'https://'],
    ['an unknown provider kind', { providers: [{ ...provider, kind: 'mistral' }] }, 'providers[0].kind', ''],
    ['an option its kind does not describe', { providers: [{ ...provider, options: { apiVersion: '2024-10-21' } }] }, 'providers[0].options', 'apiVersion'],
    ['a bad provider id', { providers: [{ ...provider, id: 'Open Router' }] }, 'providers[0].id', 'lowercase'],
    ['a misspelled field', { providers: [{ ...provider, baseURL: 'x' }] }, 'providers[0]', 'baseURL'],
    ['a malformed target string', { models: [{ alias: 'a', targets: ['no-slash'] }] }, 'models[0].targets[0]', ''],
    ['an empty target list', { models: [{ alias: 'a', targets: [] }] }, 'models[0].targets', ''],
    ['a short client token', { clients: [{ name: 'ide', token: 'short' }] }, 'clients[0].token', '16 characters'],
    ['an invalid setting', { settings: { port: -1 } }, 'settings.port', ''],
    ['an unknown top-level section', { provider: [] }, '(root)', 'provider'],
    ['a duplicate provider id', { providers: [provider, provider] }, 'providers[1]', 'duplicate'],
    ['a negative price', { prices: [{ model: 'x', inputPerMillion: -1, outputPerMillion: 1 }] }, 'prices[0].inputPerMillion', ''],
  ])('rejects %s, naming the file and the path', (_what, content, path, detail) => {
    const file = writeConfig('switchboard.json', content);
    const error = configError(() => loadConfigFile(file, {}, createProviderCatalog()));
    expect(error.message).toContain(file);
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.message).toContain(detail);
  });

  it('reports invalid JSON with its position but without quoting the text', () => {
    const file = writeConfig('switchboard.json', '{ "providers": [ sk-secret-value ] }');
    const error = configError(() => loadConfigFile(file, {}));
    expect(error.message).toContain(file);
    expect(error.message).toContain('not valid JSON');
    expect(error.message).not.toContain('sk-secret-value');
  });

  it('reports a missing file by its path', () => {
    const file = join(tempDir(), 'nope.json');
    expect(configError(() => loadConfigFile(file, {})).message).toContain(`${file} is not a valid`);
  });

  it('allows plain http to loopback silently, and elsewhere with a warning', () => {
    const local = loadConfigFile(writeConfig('a.json', { providers: [{ ...provider, id: 'local', baseUrl: 'http://localhost:11434' }] }), {});
    expect(configWarnings(local)).toEqual([]);
    const lan = loadConfigFile(writeConfig('b.json', { providers: [{ ...provider, id: 'lan', baseUrl: 'http://192.168.1.20:11434' }] }), {});
    expect(configWarnings(lan)).toEqual([expect.stringContaining('providers[0].baseUrl uses plain http to 192.168.1.20')]);
  });
});

// @vitest-environment node
/**
 * The engine builds no object that starts with a spread and then adds a key, in code that runs per
 * request (test/perf/old-space-shapes.ts, findSpreadAdds, says why and how it is found). What runs
 * rarely (per gateway, per control call, per error) is listed below with its reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { describeShape, sourceFiles, findSpreadAdds, judgeShapes, type ShapeAllowance } from './old-space-shapes.ts';

const ERROR_PATH = 'builds a field error for a request that is refused, never a served one';
const PER_POOL = 'builds an undici dispatcher or its options, once per upstream host, proxy or HTTP client';
const MODEL_LIST = 'a model listing or discovery, per provider refresh, not per request';
const STORE_CONTROL = 'a stored row read or written for the dashboard or the control API, not per model request';

function allow(file: string, inside: string, name: string, reason: string): ShapeAllowance {
  return { file: `src-proxy/${file}`, kind: 'spread-adds-key', name, inside, reason };
}

const ALLOWED: readonly ShapeAllowance[] = [
  allow('dialects/anthropic/parse-request.ts', 'parseToolChoice', 'optional', ERROR_PATH),
  allow('dialects/ollama/parse-chat.ts', 'contentText', 'optional', ERROR_PATH),
  allow('dialects/ollama/request-fields.ts', 'parseOptions', 'optional', ERROR_PATH),
  allow('dialects/ollama/request-fields.ts', 'parseFormat', 'optional', ERROR_PATH),
  allow('dialects/ollama/request-fields.ts', 'parseThink', 'optional', ERROR_PATH),
  allow('dialects/openai/parse-chat.ts', 'parseToolChoice', 'optional', ERROR_PATH),
  allow('dialects/responses/parse-tools.ts', 'parseResponsesToolChoice', 'optional', ERROR_PATH),
  allow('wire/body-schema.ts', 'checkFields', 'optional', ERROR_PATH),
  allow('wire/validate.ts', 'optionalNumber', 'optional', ERROR_PATH),
  allow('dialects/gemini/errors.ts', 'geminiErrorBody', 'details', 'an error answer in Gemini\'s shape'),
  allow('dialects/ollama/parse-generate.ts', 'parseOllamaGenerateRequest', 'suffix', 'only for a generate request with options Switchboard does not map or a fill-in-the-middle suffix'),
  allow('policy/command-strip.ts', 'withoutNote', 'content', 'only for an assistant turn that starts with Switchboard\'s own command note; it overrides content, which the checker cannot prove every member of the message union has'),
  allow('taps/text-loop-tap.ts', 'see', 'inputTokens, outputTokens', 'once, when a loop is found and the answer is cut'),
  allow('routing/circuit-events.ts', 'circuitEventRecord', 'endpoint, provider, status, errorCode, errorMessage', 'a circuit opening or closing'),
  allow('routing/key-credentials.ts', '(anonymous)', 'token', 'an OAuth token refresh'),
  allow('routing/key-pool.ts', '(anonymous)', 'material', 'a provider\'s keys, read again once a minute (KEY_CACHE_TTL_MS)'),
  allow('domain/lazy-schema.ts', 'getOwnPropertyDescriptor', 'configurable', 'a lazy schema\'s descriptor, asked by code that inspects a schema, not by a parse'),
  allow('domain/provider-key.ts', 'withProxy', 'proxy', 'a key edited through the control API or config'),
  allow('domain/provider-key.ts', 'entryOf', 'label', 'a key edited through the control API or config'),
  allow('providers/anthropic/models.ts', 'listAnthropicModels', 'maxOutputTokens', MODEL_LIST),
  allow('providers/ollama/discovery.ts', 'metadataFromShow', 'capabilities, family, parameterSize', MODEL_LIST),
  allow('providers/openai/adapter.ts', '(anonymous)', 'contextWindow', MODEL_LIST),
  allow('providers/registry.ts', 'check', 'options', 'a provider checked when it is configured'),
  allow('server.ts', 'createHttpServer', 'trustProxy', 'the HTTP server, once per gateway'),
  allow('server.ts', 'createHttpServer', 'loggerInstance, logController, childLoggerFactory, bodyLimit, return503OnClosing, forceCloseConnections, requestTimeout, routerOptions, schemaController', 'the HTTP server, once per gateway'),
  allow('shared/shared-connection.ts', 'openSharedConnection', 'enableOfflineQueue, maxRetriesPerRequest, commandTimeout, enableAutoPipelining', 'a connection to the shared Redis-compatible server'),
  allow('shared/shared-connection.ts', 'openSharedConnection', 'enableOfflineQueue, maxRetriesPerRequest', 'a connection to the shared Redis-compatible server'),
  allow('store/aliases-repository.ts', '(anonymous)', 'createdAt, managedBy', STORE_CONTROL),
  allow('store/client-tokens-repository.ts', 'create', 'token', STORE_CONTROL),
  allow('store/client-tokens-repository.ts', 'rotate', 'token', STORE_CONTROL),
  allow('store/history-repository.ts', 'toDetail', 'cacheReadTokens, cacheWriteTokens, estimated, errorMessage, bodies, requestHeaders, clientAddress, notes', 'one history entry opened in the dashboard'),
  allow('store/keys-repository.ts', 'clearColumns', 'kind, proxy', STORE_CONTROL),
  allow('store/models-repository.ts', 'toModel', 'contextWindow, maxOutputTokens, capabilities, family, parameterSize', STORE_CONTROL),
  allow('store/postgres/pg-store.ts', 'openPostgresStore', 'kind, history, teamCache, sync, exclusive, onRemoteChange, health, close', 'the team store, once per gateway'),
  allow('store/providers-repository.ts', '(anonymous)', 'lastError, createdAt, managedBy', STORE_CONTROL),
  allow('store/providers-repository.ts', 'create', 'lastError, createdAt, managedBy', STORE_CONTROL),
  allow('upstream/http-client.ts', 'dispatcherFor', 'upstreamCa', PER_POOL),
  allow('upstream/http2-pools.ts', 'http2Pool', 'allowH2, factory', PER_POOL),
  allow('upstream/http2-pools.ts', 'protocolSizedClient', 'connect', PER_POOL),
  allow('upstream/proxy-dispatchers.ts', 'create', 'connect', PER_POOL),
  allow('upstream/proxy-dispatchers.ts', 'create', 'secureContext', PER_POOL),
  allow('upstream/media-fetch.ts', 'guardedLookup', 'all', 'an image URL fetched for a provider that needs the bytes'),
  allow('upstream/undici-lean.ts', 'request', 'origin, path', 'an image URL fetched for a provider that needs the bytes (media-fetch.ts is its one caller)'),
];

/**
 * Code that runs per command or per control call (the CLI, configuration files, the control API
 * behind the dashboard), never per model request: not judged.
 */
const MANAGEMENT_PLANE = /^src-proxy\/(cli|config|control)\//;

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')); } });
  if (!parsed) throw new Error('tsconfig.json could not be read');
  return parsed.options;
}

describe('the engine builds no spread-then-add literal per request (old-space-shapes.ts, findSpreadAdds)', () => {
  const files = sourceFiles('src-proxy').filter((name) => !MANAGEMENT_PLANE.test(name)).map((name) => ({ name, path: path.resolve(name).split(path.sep).join('/') }));
  const program = ts.createProgram(files.map((file) => file.path), compilerOptions());
  const findings = findSpreadAdds(program, files);
  const { unexplained, stale } = judgeShapes(findings, ALLOWED);

  it('finds none in src-proxy beyond the ones that run rarely', () => {
    expect(unexplained.map((f) => `${f.file}:${f.line} ${f.inside} [${f.name}]`)).toEqual([]);
  });

  it('lists no exception that is gone (each entry still matches its code)', () => {
    expect(stale).toEqual([]);
  });
});

describe('the spread checker itself', () => {
  /** Findings for one snippet, checked with the project's compiler options in a program of its own. */
  function judge(source: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spread-shapes-'));
    try {
      const file = path.join(dir, 'x.ts').split(path.sep).join('/');
      fs.writeFileSync(file, source);
      const program = ts.createProgram([file], compilerOptions());
      return findSpreadAdds(program, [{ path: file, name: 'x.ts' }]).map((finding) => `${finding.inside}:${finding.line} [${finding.name}]`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each<[string, string, string[]]>([
    ['a key the source type lacks', 'export function f(x: { a: number }) {\n  return { ...x, k: 1 };\n}', ['f:2 [k]']],
    ['keys of a JSON record (the source may lack any of them)', 'export function f(body: Record<string, unknown>) { return { ...body, model: "m", stream: true }; }', ['f:1 [model, stream]']],
    ['an optional key of the source (absent at run time as often as not)', 'interface U { a: number; c?: number }\nexport function f(u: U) { return { ...u, c: 2 }; }', ['f:2 [c]']],
    ['a later spread that may bring a key (usage merged with a later report)', 'interface U { a: number; c?: number }\nexport function f(u: Partial<U>, more: Partial<U>) { return { ...u, ...more }; }', ['f:2 [a, c]']],
    ['a conditional first spread followed by plain keys', 'export function f(n: number) { return { ...(n > 0 ? { max: n } : {}), temperature: n }; }', ['f:1 [temperature]']],
    ['a key only some members of a union source have', 'type M = { role: "a"; text: string } | { role: "b" };\nexport function f(m: M) { return { ...m, text: "" }; }', ['f:2 [text]']],
    ['a class method\'s literal', 'export class C { make(x: { a: number }) { return { ...x, b: 1 }; } }', ['make:1 [b]']],
  ])('flags %s', (_name, source, expected) => {
    expect(judge(source)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['a spread that only overrides required keys', 'export function f(x: { a: number; b: string }) { return { ...x, a: 2 }; }'],
    ['a plain key before the spread', 'export function f(x: { a: number }) { return { k: 1, ...x, j: 2 }; }'],
    ['a lone spread (a copy)', 'export function f(x: { a: number }) { return { ...x }; }'],
    ['a spread of a null or undefined value followed by keys', 'export function f(x: null) { return { ...x, k: 1 }; }'],
    ['a module-level literal (built once)', 'const base = { a: 1 };\nexport const config = { ...base, k: 2 };'],
    ['a source typed any (not judged)', 'export function f(x: any) { return { ...x, k: 1 }; }'],
  ])('does not flag %s', (_name, source) => {
    expect(judge(source)).toEqual([]);
  });

  it('says what it costs and what to write instead', () => {
    const [finding] = judgeShapes([{ file: 'src-proxy/x.ts', line: 3, kind: 'spread-adds-key', name: 'k', inside: 'f' }], []).unexplained;
    expect(describeShape(finding!)).toMatch(/^src-proxy\/x\.ts:3 builds an object literal that starts with a spread and adds keys its source lacks \('k'\) on every call of f: .*hidden class.*old space.*withFields/);
  });
});

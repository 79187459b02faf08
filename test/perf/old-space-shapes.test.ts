// @vitest-environment node
/**
 * The engine builds no accessor per request (test/perf/old-space-shapes.ts says why and how it
 * is found). What it builds once per gateway, adapter or upstream host is listed below, each with
 * what creates it; anything else found fails with its file:line and what to write instead.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeShape, sourceFiles, findShapes, judgeShapes, type ShapeAllowance } from './old-space-shapes.ts';

const ALLOWED: readonly ShapeAllowance[] = [
  { file: 'src-proxy/create-gateway.ts', kind: 'accessor-literal', name: 'streams', inside: 'createGateway', reason: 'the exchange dependencies, one object per gateway' },
  ...['state', 'error', 'port', 'startedAt', 'accepting'].map((name) => ({
    file: 'src-proxy/gateway/lifecycle.ts',
    kind: 'accessor-literal' as const,
    name,
    inside: 'createLifecycle',
    reason: 'the gateway\'s start/stop state, one object per gateway',
  })),
  { file: 'src-proxy/policy/session-state.ts', kind: 'accessor-literal', name: 'size', inside: 'createSessionStates', reason: 'the session registry, one per gateway' },
  { file: 'src-proxy/providers/vertex/tokens.ts', kind: 'accessor-literal', name: 'exchanges', inside: 'createVertexTokens', reason: 'the token source, one per Vertex adapter' },
  { file: 'src-proxy/routing/rests.ts', kind: 'accessor-literal', name: 'empty', inside: 'createRests', reason: 'the rests of a key pool or a proxy pool, one per pool' },
  { file: 'src-proxy/upstream/fair-scheduler.ts', kind: 'accessor-literal', name: 'reserve', inside: 'createFairScheduler', reason: 'one scheduler per upstream host, kept for the process' },
  { file: 'src-proxy/upstream/proxy-dispatchers.ts', kind: 'accessor-literal', name: 'size', inside: 'createProxyDispatchers', reason: 'the proxy dispatchers, one set per HTTP client' },
];

describe('the engine builds no accessor per request (old-space-shapes.ts)', () => {
  const files = sourceFiles('src-proxy');
  const findings = files.flatMap((file) => findShapes(file, fs.readFileSync(file, 'utf8')));
  const { unexplained, stale } = judgeShapes(findings, ALLOWED);

  it('finds none in src-proxy beyond the ones built once per gateway, adapter or host', () => {
    expect(unexplained.map(describeShape)).toEqual([]);
  });

  it('lists no exception that is gone (each entry still matches its code)', () => {
    expect(stale).toEqual([]);
  });

  it('reads the code it is meant to police (the list of files is not empty by accident)', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain('src-proxy/http/stream-writer.ts');
    expect(findings.length).toBe(ALLOWED.length);
  });
});

describe('the accessor checker itself', () => {
  const kinds = (source: string) => findShapes('x.ts', source).map((finding) => `${finding.kind} ${finding.name} in ${finding.inside} at ${finding.line}`);

  it.each<[string, string, string[]]>([
    ['a getter in a literal a factory returns', 'export function tap(exchange) {\n  return { get complete() { return exchange.done; } };\n}', ['accessor-literal complete in tap at 2']],
    ['a setter in a literal inside an arrow function', 'const open = (x) => ({ set value(v) { x.v = v; } });', ['accessor-literal value in open at 1']],
    ['a getter in a literal a method builds', 'class A {\n  make() { return { get n() { return 1; } }; }\n}', ['accessor-literal n in make at 2']],
    ['a getter in an instance field initializer (per object made)', 'class A {\n  view = { get n() { return 1; } };\n}', ['accessor-literal n in new A at 2']],
    ['a getter descriptor handed to Object.defineProperty', 'function f(o) { Object.defineProperty(o, "n", { get: () => 1, enumerable: true }); }', ['accessor-descriptor "n" in f at 1']],
    ['a setter descriptor written as a method, Reflect.defineProperty', 'function f(o) { Reflect.defineProperty(o, "n", { set(v) {} }); }', ['accessor-descriptor "n" in f at 1']],
    ['getter descriptors handed to Object.defineProperties and Object.create', 'function f(o) {\n  Object.defineProperties(o, { a: { get } });\n  return Object.create(null, { b: { "get": g } });\n}', ['accessor-descriptor a in f at 2', 'accessor-descriptor b in f at 3']],
    ['a class with a getter declared inside a function', 'function f() {\n  class View { get n() { return 1; } }\n  return new View();\n}', ['class-accessors View in f at 2']],
  ])('flags %s', (_name, source, expected) => {
    expect(kinds(source)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['a getter in a module-level literal (built once)', 'export const config = { get home() { return process.env.HOME; } };'],
    ['a class with accessors at the top level (on its prototype, once)', 'export class Writer { get closed() { return false; } set closed(v) {} }'],
    ['a class\'s static field initializer (runs once)', 'class A { static view = { get n() { return 1; } }; }'],
    ['a data descriptor', 'function f(o) { Object.defineProperty(o, "n", { value: 1, writable: false }); }'],
    ['a descriptor passed through (not judged: its content is not known here)', 'function f(o, d) { Reflect.defineProperty(o, "n", d); }'],
    ['plain fields and methods', 'function f(x) { return { done: false, get: x.get, set: x.set, close() { this.done = true; } }; }'],
  ])('does not flag %s', (_name, source) => {
    expect(kinds(source)).toEqual([]);
  });

  it('names the file and line and says what to write instead', () => {
    const [finding] = findShapes('src-proxy/http/x.ts', 'function f(s) {\n  return { get closed() { return s.closed; } };\n}');
    expect(describeShape(finding!)).toMatch(/^src-proxy\/http\/x\.ts:2 builds an object literal with an accessor \('closed'\) on every call of f: .*old space.*plain field.*class declared at the top level/);
  });

  it('reports an allowance that matches nothing as stale, and a finding it does not cover as unexplained', () => {
    const findings = findShapes('a.ts', 'function f() { return { get n() { return 1; } }; }');
    const allowance: ShapeAllowance = { file: 'a.ts', kind: 'accessor-literal', name: 'n', inside: 'g', reason: 'renamed since' };
    expect(judgeShapes(findings, [allowance])).toEqual({ unexplained: findings, stale: [allowance] });
    expect(judgeShapes(findings, [{ ...allowance, inside: 'f' }])).toEqual({ unexplained: [], stale: [] });
  });
});

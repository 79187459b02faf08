/**
 * The floors of the code base, in ONE place, and the checks that keep imports pointing down.
 * docs/architecture.md explains the picture; this list is its source of truth.
 *
 * Rules:
 *  1. every source file has a floor (a new folder must be placed here before it can land);
 *  2. a file imports only from its own floor or lower ones;
 *  3. spokes (a front-door folder, a provider folder) never import another spoke; neither do
 *     the composition roots (the CLI and the Electron shell) import each other;
 *  4. the renderer reaches the core only through the control contract (+ domain and error types);
 *  5. no import cycle, type-only imports included;
 *  6. a few files reach less far down than their floor allows (CEILINGS).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Floor {
  name: string;
  /** Folder prefixes ending in "/", exact files, or "<folder>/*\/" for one spoke per subfolder. */
  paths: readonly string[];
  /** Members of this floor (spokes, roots) must not import one another. */
  isolated?: boolean;
}

/** Bottom first. The first entry (in this order) whose path matches a file decides its floor. */
export const FLOORS: readonly Floor[] = [
  { name: 'ground: domain and the one error list', paths: ['src-proxy/domain/', 'src-proxy/errors/'] },
  {
    name: 'foundations: canonical model, wire formats, store, security, config, upstream HTTP, native memory, spoke contracts',
    paths: [
      'src-proxy/canonical/',
      'src-proxy/wire/',
      'src-proxy/store/',
      'src-proxy/security/',
      'src-proxy/config/',
      'src-proxy/upstream/',
      'src-proxy/net/',
      'src-proxy/memory/',
      'src-proxy/logging.ts',
      'src-proxy/log-tail.ts',
      'src-proxy/providers/types.ts',
    ],
  },
  {
    name: 'request path: exchange, policy, routing, history, taps',
    paths: ['src-proxy/http/', 'src-proxy/policy/', 'src-proxy/routing/', 'src-proxy/history/', 'src-proxy/taps/', 'src-proxy/cache/', 'src-proxy/metrics/', 'src-proxy/shared/', 'src-proxy/dialects/types.ts'],
  },
  { name: 'spokes: one front door or provider per folder', paths: ['src-proxy/dialects/*/', 'src-proxy/providers/*/'], isolated: true },
  {
    name: 'assembly: registries, server, control',
    paths: ['src-proxy/dialects/registry.ts', 'src-proxy/providers/registry.ts', 'src-proxy/server.ts', 'src-proxy/control/', 'src-proxy/doctor/', 'src-proxy/diagnostics/'],
  },
  { name: 'engine: the gateway and its lifecycle', paths: ['src-proxy/gateway/', 'src-proxy/create-gateway.ts', 'src-proxy/gateway-types.ts', 'src-proxy/index.ts'] },
  { name: 'composition roots: CLI, Electron shell', paths: ['src-proxy/cli/', 'src-proxy/cli.ts', 'src-main/'], isolated: true },
];

/**
 * Narrower limits inside a floor. A provider folder knows its upstream and the canonical model,
 * never the request path around it (routing, the exchange, history).
 */
export const CEILINGS: ReadonlyArray<{ paths: readonly string[]; highestFloor: number; why: string }> = [
  { paths: ['src-proxy/providers/*/'], highestFloor: 1, why: 'a provider imports only foundations and ground' },
];

/** What the renderer (its own process, bundled for the browser) may import from the engine. */
export const RENDERER_MAY_IMPORT: readonly string[] = ['src-proxy/control/contract.ts', 'src-proxy/domain/', 'src-proxy/errors/'];

/** What the renderer may import from the desktop shell: the IPC contract it shares with main and the preload. */
export const RENDERER_MAY_IMPORT_FROM_SHELL: readonly string[] = ['src-main/ipc/channels.ts', 'src-main/ipc/desktop-contract.ts'];

export interface Placement {
  floor: number;
  /** The spoke or root the file belongs to, for isolated floors ("src-proxy/dialects/openai/"). */
  member: string | null;
}

/** Roots that compose the same process count as one member (cli.ts runs cli/). */
function memberOf(file: string, entry: string): string {
  if (entry.endsWith('*/')) {
    const base = entry.slice(0, -2);
    return base + file.slice(base.length).split('/')[0] + '/';
  }
  return entry === 'src-proxy/cli.ts' ? 'src-proxy/cli/' : entry;
}

function matches(file: string, entry: string): boolean {
  if (entry.endsWith('*/')) {
    const base = entry.slice(0, -2);
    return file.startsWith(base) && file.slice(base.length).includes('/');
  }
  return entry.endsWith('/') ? file.startsWith(entry) : file === entry;
}

export function placementOf(file: string, floors: readonly Floor[] = FLOORS): Placement | null {
  // Most specific first: exact files, then spoke patterns, then folders.
  const candidates = floors.flatMap((floor, index) => floor.paths.map((entry) => ({ entry, index, floor })));
  const rank = (entry: string) => (entry.endsWith('/') ? (entry.endsWith('*/') ? 1 : 2) : 0);
  candidates.sort((a, b) => rank(a.entry) - rank(b.entry) || b.entry.length - a.entry.length);
  const hit = candidates.find((candidate) => matches(file, candidate.entry));
  if (!hit) return null;
  return { floor: hit.index, member: hit.floor.isolated ? memberOf(file, hit.entry) : null };
}

const IMPORT_PATTERN = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of one file, resolved to repository paths (type-only imports included). */
export function importsOf(file: string, source: string, exists: (candidate: string) => boolean): string[] {
  const found = new Set<string>();
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const match of code.matchAll(IMPORT_PATTERN)) {
    const specifier = match[1] ?? match[2];
    if (!specifier?.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    const resolved = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find(exists);
    found.add(resolved ?? base);
  }
  return [...found];
}

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function readImportGraph(roots: readonly string[]): ImportGraph {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
    });
  const files = roots.flatMap(walk);
  const known = new Set(files);
  const exists = (candidate: string) => known.has(candidate) || (fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  return new Map(files.map((file) => [file, importsOf(file, fs.readFileSync(file, 'utf8'), exists)]));
}

/** Files with no floor (rule 1), as messages. */
export function unplacedFiles(graph: ImportGraph, floors: readonly Floor[] = FLOORS): string[] {
  return [...graph.keys()].filter((file) => !file.startsWith('src-renderer/') && placementOf(file, floors) === null);
}

/** Imports that go up a floor, across spokes or roots, or out of the renderer's lane (rules 2–4). */
export function wrongWayImports(graph: ImportGraph, floors: readonly Floor[] = FLOORS): string[] {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    for (const target of imports) {
      if (file.startsWith('src-renderer/')) {
        if (target.startsWith('src-proxy/') && !RENDERER_MAY_IMPORT.some((allowed) => matches(target, allowed))) {
          wrong.push(`${file} → ${target} (the renderer reaches the core through the control contract only)`);
        }
        if (target.startsWith('src-main/') && !RENDERER_MAY_IMPORT_FROM_SHELL.some((allowed) => matches(target, allowed))) {
          wrong.push(`${file} → ${target} (the renderer shares only the IPC contract with the desktop shell)`);
        }
        continue;
      }
      if (target.startsWith('src-renderer/')) {
        wrong.push(`${file} → ${target} (nothing imports the renderer)`);
        continue;
      }
      const from = placementOf(file, floors);
      const to = placementOf(target, floors);
      if (!from || !to) continue;
      const ceiling = CEILINGS.find((entry) => entry.paths.some((pattern) => matches(file, pattern)));
      if (ceiling && to.floor > ceiling.highestFloor && to.floor < from.floor) {
        wrong.push(`${file} → ${target} (${ceiling.why})`);
      } else if (to.floor > from.floor) {
        wrong.push(`${file} → ${target} (up from "${floors[from.floor]!.name}" to "${floors[to.floor]!.name}")`);
      } else if (to.floor === from.floor && from.member && to.member && from.member !== to.member) {
        wrong.push(`${file} → ${target} (${from.member} and ${to.member} must not import each other)`);
      }
    }
  }
  return wrong;
}

/** Every import cycle (strongly connected component of more than one file, or a self-import). */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  function connect(file: string): void {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  }

  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

// @vitest-environment node
/**
 * The dashboard bundle stays lean: contract.ts and the domain modules that declare zod schemas
 * may reach the renderer as types only. One value import from them pulls zod (~100 KB gzip)
 * into the first load (it happened once, through contract.ts's re-exports).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(name) ? [file] : [];
  });
}

/** Engine modules that run zod at load time (schemas), so importing any value from them bundles zod. */
function declaresSchemas(path: string): boolean {
  return /from 'zod'/.test(readFileSync(path, 'utf8'));
}

describe('the renderer bundle', () => {
  it('imports nothing but types from engine modules that declare zod schemas', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('src-renderer')) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+src-(?:proxy|main)\/[^']+)';/gms)) {
        const [, typeOnly, target] = match;
        const resolved = join(file, '..', target!);
        if (!typeOnly && declaresSchemas(resolved)) offenders.push(`${file} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('finds the imports it polices', () => {
    const text = readFileSync('src-renderer/api/types.ts', 'utf8');
    expect(text).toMatch(/import type \{[^}]*\} from '\.\.\/\.\.\/src-proxy\/control\/contract\.ts'/);
    expect(declaresSchemas('src-proxy/control/contract.ts')).toBe(true);
  });
});

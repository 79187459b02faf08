import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardBuildReason } from '../../scripts/dashboard-freshness.mjs';

function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'sb-fresh-'));
  mkdirSync(join(root, 'src-renderer', 'pages'), { recursive: true });
  writeFileSync(join(root, 'src-renderer', 'pages', 'Page.tsx'), 'export {}');
  return root;
}

function touch(file: string, seconds: number): void {
  utimesSync(file, seconds, seconds);
}

describe('npm run serve builds the dashboard only when it must', () => {
  it('builds when dist/renderer is missing (a fresh clone)', () => {
    expect(dashboardBuildReason(checkout())).toBe('the dashboard is not built yet');
  });

  it('builds when a source is newer than the build, and not otherwise', () => {
    const root = checkout();
    mkdirSync(join(root, 'dist', 'renderer'), { recursive: true });
    const index = join(root, 'dist', 'renderer', 'index.html');
    writeFileSync(index, '<!doctype html>');
    touch(join(root, 'src-renderer', 'pages', 'Page.tsx'), 1_000);
    touch(index, 2_000);
    expect(dashboardBuildReason(root)).toBeNull();
    touch(join(root, 'src-renderer', 'pages', 'Page.tsx'), 3_000);
    expect(dashboardBuildReason(root)).toBe('the dashboard sources changed');
  });
});

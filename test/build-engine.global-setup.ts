/**
 * Builds dist/proxy once before any test file runs: the CLI tests run the real bundle
 * (bin/switchboard.js), and test files building it in parallel would overwrite it under each other.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function buildEngine(): void {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'proxy', '--quiet'], { cwd: root, stdio: 'inherit' });
}

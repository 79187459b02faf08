// `npm run screenshots`: rebuilds the dashboard and rewrites the README's screenshots
// (docs/screenshots) from the demo data. A plain `npm test` writes them to test-results/ instead,
// so it never changes tracked files.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args, env = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const built = run(['scripts/build.mjs', 'all', '--quiet']);
if (built.status !== 0) process.exit(built.status ?? 1);
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const result = run([vitest, 'run', '--config', 'test/e2e/vitest.config.ts', '-t', 'README screenshots'], { UPDATE_SCREENSHOTS: '1' });
process.exit(result.status ?? 1);

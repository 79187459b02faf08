/**
 * PostgreSQL and a Redis-compatible server for plain-Node scripts (`npm run team:local`, the
 * bench's team scenario): the test fixtures' starters (one copy of how they start: Debian's
 * binaries on free ports in temp folders), bundled from TypeScript with esbuild. Installs
 * nothing: `missingTeamPackages` names what is missing and `installHint` says how to get it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Debian packages the team servers need that this machine lacks ([] when all are there). */
export function missingTeamPackages() {
  const missing = [];
  const pgRoot = '/usr/lib/postgresql';
  if (!existsSync(pgRoot) || !readdirSync(pgRoot).some((version) => existsSync(`${pgRoot}/${version}/bin/postgres`))) missing.push('postgresql');
  if (!['valkey-server', 'redis-server'].some((name) => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0)) missing.push('redis-server');
  return missing;
}

/** How to install `missing` (npm test's scripts/test.sh installs the same packages). */
export function installHint(missing) {
  return `sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}   (or run \`npm test\` once: scripts/test.sh installs them)`;
}

/** { startPostgresServer, startRedisServer, createTestDatabase } of test/fixtures. */
export async function loadTeamServers() {
  const outfile = `${root}/dist/team-local/servers.mjs`;
  await build({
    stdin: {
      contents: "export { startPostgresServer, createTestDatabase } from './test/fixtures/postgres-server.ts';\nexport { startRedisServer } from './test/fixtures/redis-server.ts';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return import(outfile);
}

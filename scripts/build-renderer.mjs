// Builds the dashboard (src-renderer) with Vite into dist/renderer. Called by scripts/build.mjs
// (`npm run build`) and runnable alone: node scripts/build-renderer.mjs [--quiet]
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

export default async function buildRenderer({ quiet = false, logLevel } = {}) {
  // Vite lets an existing NODE_ENV win over the build mode: under vitest (NODE_ENV=test, the e2e
  // global setup) it would bundle React's development build, 800 KB instead of 500. Always build
  // what users get.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, logLevel: logLevel ?? (quiet ? 'warn' : 'info') });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildRenderer({ quiet: process.argv.includes('--quiet') });
}

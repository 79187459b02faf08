// Builds the dashboard (src-renderer) with Vite into dist/renderer. Called by scripts/build.mjs
// (`npm run build`) and runnable alone: node scripts/build-renderer.mjs [--quiet]
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

export default async function buildRenderer({ quiet = false, logLevel } = {}) {
  await build({ configFile, logLevel: logLevel ?? (quiet ? 'warn' : 'info') });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildRenderer({ quiet: process.argv.includes('--quiet') });
}

// Builds what can run without the Electron binary: the headless engine (dist/proxy), and with
// `all`, also the Electron main/preload bundles and the renderer (added by their own scripts).
// `serve` (what `npm run serve` runs): the engine, and the dashboard only when it is missing or
// older than its sources, saying so in one line.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dashboardBuildReason } from './dashboard-freshness.mjs';

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith('--')) ?? 'all';
const quiet = args.includes('--quiet');

async function buildProxy() {
  await build({
    entryPoints: { cli: 'src-proxy/cli.ts', index: 'src-proxy/index.ts' },
    outdir: 'dist/proxy',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: quiet ? 'warning' : 'info',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
}

async function buildForServe() {
  await buildProxy();
  const root = fileURLToPath(new URL('..', import.meta.url));
  const reason = dashboardBuildReason(root);
  if (!reason) return;
  const startedAt = Date.now();
  process.stderr.write(`Building the dashboard (${reason})… `);
  // 'error': Rollup's notes about comments in dependencies are not the user's concern here.
  await (await import('./build-renderer.mjs')).default({ quiet: true, logLevel: 'error' });
  process.stderr.write(`done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.\n`);
}

const steps = { proxy: buildProxy, serve: buildForServe };
if (target === 'all') {
  await buildProxy();
  for (const extra of ['scripts/build-desktop.mjs', 'scripts/build-renderer.mjs']) {
    if (existsSync(extra)) await (await import(`../${extra}`)).default({ quiet });
  }
} else if (steps[target]) {
  await steps[target]();
} else {
  console.error(`Unknown build target "${target}". Use: proxy, serve, all.`);
  process.exit(2);
}

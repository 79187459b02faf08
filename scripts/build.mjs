// Builds what can run without the Electron binary: the headless engine (dist/proxy), and with
// `all`, also the Electron main/preload bundles and the renderer (added by their own scripts).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

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

const steps = { proxy: buildProxy };
if (target === 'all') {
  await buildProxy();
  for (const extra of ['scripts/build-desktop.mjs', 'scripts/build-renderer.mjs']) {
    if (existsSync(extra)) await (await import(`../${extra}`)).default({ quiet });
  }
} else if (steps[target]) {
  await steps[target]();
} else {
  console.error(`Unknown build target "${target}". Use: proxy, all.`);
  process.exit(2);
}

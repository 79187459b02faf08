// Bundles the Electron main process and its preload with esbuild into dist/main/ — no Electron
// binary needed. Called by scripts/build.mjs (`all`) and scripts/start-desktop.mjs.
//
// * main.js: ESM (package.json "type": "module"; Electron ≥ 28 loads an ESM main). npm
//   packages stay external and load from node_modules, like dist/proxy; better-sqlite3 is
//   native and is rebuilt for Electron's ABI only by electron-builder at packaging time.
// * preload.cjs: CommonJS and fully bundled. A sandboxed preload cannot load ES modules and
//   can `require` only `electron` (electronjs.org/docs/latest/tutorial/sandbox).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function buildDesktop({ quiet = false, outdir = 'dist/main' } = {}) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node22', // Electron 45 ships Node 22
    sourcemap: true,
    logLevel: quiet ? 'warning' : 'info',
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { main: 'src-main/main.ts' },
      outdir,
      format: 'esm',
      packages: 'external',
      external: ['electron', 'better-sqlite3'],
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    }),
    build({
      ...common,
      entryPoints: { preload: 'src-main/preload.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      external: ['electron'],
    }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDesktop({ quiet: process.argv.includes('--quiet') });
}

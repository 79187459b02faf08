// Builds what can run without the Electron binary: the headless engine (dist/proxy), and with
// `all`, also the Electron main/preload bundles and the renderer (added by their own scripts).
// `serve` (what `npm run serve` runs): the engine, and the dashboard only when it is missing or
// older than its sources, saying so in one line.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNative } from './build-native.mjs';
import { dashboardBuildReason } from './dashboard-freshness.mjs';

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith('--')) ?? 'all';
const quiet = args.includes('--quiet');

/**
 * Packages the engine's bundle leaves to node_modules: the native SQLite driver, and what only
 * some runs load (the tokenizer's 4 MB of tables; Fastify's schema compilers and inject, which
 * the engine never calls). Packages loaded through createRequire at first use (ioredis, pg,
 * socks, prom-client, yaml, the AWS signer) are invisible to esbuild and stay external too. Everything else every start loads (Fastify, pino, zod…) is bundled into one
 * file: Node then reads and compiles one script instead of resolving, reading and wrapping some
 * 200 CommonJS files through the ESM loader — about a third of `serve`'s start CPU and 9 MB of
 * idle RSS (README, Performance). test/perf/lazy-modules.test.ts checks both halves.
 */
const ENGINE_EXTERNAL = ['better-sqlite3', 'gpt-tokenizer', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request'];

/**
 * undici's agents and request API are bundled (upstream/undici-lean.ts), except the llhttp
 * parser's WebAssembly: two base64 data modules (~400 KB of source the bundle would read and keep
 * at every start) that undici requires at the first HTTP/1.1 connection; they load from
 * node_modules then, as before. Pure data, so no second copy of undici's state.
 */
const undiciWasmExternal = {
  name: 'undici-wasm-external',
  setup(builder) {
    builder.onResolve({ filter: /llhttp(_simd)?-wasm/ }, (args) => {
      const [, inLib] = join(args.resolveDir, args.path).replaceAll('\\', '/').split('/node_modules/undici/lib/');
      if (inLib === undefined) return undefined;
      return { path: `undici/lib/${inLib.endsWith('.js') ? inLib : `${inLib}.js`}`, external: true };
    });
  },
};

async function buildProxy() {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ENGINE_EXTERNAL,
    plugins: [undiciWasmExternal],
    // Whitespace and syntax only: names stay as written, so stack traces and class names read
    // as in the source. Less source text kept in memory (V8 holds each script's source).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    logLevel: quiet ? 'warning' : 'info',
  };
  // The library entry (createGateway: the bench, tests, scripts) stays an ES module.
  await build({
    ...common,
    entryPoints: { index: 'src-proxy/index.ts' },
    outdir: 'dist/proxy',
    format: 'esm',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  // The command line is one CommonJS script: bin/load-engine.js compiles it through vm.Script with
  // V8's code cache, which Node 20 offers for scripts but not for ES modules (README, Performance).
  // The engine has no top-level await and loads its lazy packages through createRequire, never
  // import() (a vm.Script cannot run import() on Node 20).
  await build({
    ...common,
    entryPoints: { cli: 'src-proxy/cli.ts' },
    outdir: 'dist/proxy',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { 'import.meta.url': '__engineUrl' },
    banner: { js: "const __engineUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // A code cache belongs to one build of the script: drop those of earlier builds (and the ES
  // module the command line was before).
  for (const name of readdirSync('dist/proxy')) {
    if (name.endsWith('.v8cache') || name === 'cli.js' || name === 'cli.js.map') rmSync(join('dist/proxy', name), { force: true });
  }
  // The engine's glibc allocator controls (dist/native); optional, never fails the build.
  buildNative({ quiet });
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

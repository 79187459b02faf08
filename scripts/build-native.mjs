// Builds native/glibc-malloc.c into dist/native/glibc-malloc.node: the engine's controls of glibc's
// allocator (src-proxy/memory/glibc-malloc.ts; README, Performance: idle RSS). Run by
// scripts/build.mjs with the engine, so `npm install` (prepare), `npm run serve`, the bench and the
// Docker image's build get it. Optional by design: not Linux, not glibc, no Node headers or no C
// compiler means no addon and one line saying so; the engine then runs without it. It never
// fails a build. Node-API only, so the build made with Node's headers also loads in Electron.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(root, 'native', 'glibc-malloc.c');
export const ADDON = join(root, 'dist', 'native', 'glibc-malloc.node');

/** The folder holding node_api.h: npm's `--nodedir`, else the `include/node` of the running Node's install. */
function nodeHeaders(env) {
  const candidates = [env.npm_config_nodedir && join(env.npm_config_nodedir, 'include', 'node'), join(dirname(process.execPath), '..', 'include', 'node')];
  return candidates.find((dir) => dir && existsSync(join(dir, 'node_api.h'))) ?? null;
}

/**
 * Builds the addon unless one newer than its source is there. Returns { built } or { skipped:
 * reason }; with `out` it also writes that line (quiet only drops the "built" line).
 */
export function buildNative({ quiet = false, env = process.env, out = (line) => process.stderr.write(`${line}\n`), addon = ADDON } = {}) {
  const skip = (reason) => {
    rmSync(addon, { force: true });
    // The folder stays, empty: the Docker image copies it either way.
    mkdirSync(dirname(addon), { recursive: true });
    out(`switchboard: the glibc allocator addon is not built (${reason}); the engine runs without it.`);
    return { skipped: reason };
  };
  if (process.platform !== 'linux') return { skipped: `not Linux (${process.platform})` };
  // glibcVersionRuntime is absent on musl (Alpine) and other C libraries.
  if (!process.report.getReport().header.glibcVersionRuntime) return skip('the C library is not glibc');
  if (existsSync(addon) && statSync(addon).mtimeMs >= statSync(SOURCE).mtimeMs) return { built: addon, fresh: true };
  const headers = nodeHeaders(env);
  if (!headers) return skip(`Node's headers (node_api.h) were not found beside ${process.execPath}`);
  mkdirSync(dirname(addon), { recursive: true });
  const temporary = `${addon}.${process.pid}.tmp`;
  try {
    execFileSync(env.CC || 'cc', ['-O2', '-shared', '-fPIC', '-Wall', '-I', headers, '-o', temporary, SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(temporary, addon);
  } catch (error) {
    rmSync(temporary, { force: true });
    const said = String(error.stderr ?? '').trim().split('\n')[0];
    return skip(error.code === 'ENOENT' ? `no C compiler (${env.CC || 'cc'})` : `${env.CC || 'cc'} failed: ${said || error.message}`);
  }
  if (!quiet) out(`Built ${addon}`);
  return { built: addon };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildNative({ quiet: process.argv.includes('--quiet') });
}

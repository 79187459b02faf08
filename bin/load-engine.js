// Loads the command line's CommonJS bundle (dist/proxy/cli.cjs) through V8's code cache: a start
// then deserializes the bytecode of the functions an earlier run of the same command compiled
// instead of parsing and compiling the 1.8 MB script again (issue 18, `serve` start time; Node 20
// has no compile cache for ES modules). Measured in the README's Performance section.
//
// The cache lives beside the bundle, one file per command, Node version, Node flags and build of
// the bundle (its size and mtime: `scripts/build.mjs` also deletes the caches of earlier builds).
// V8 checks it again (its version, flags and the source's length) and rejects one that does not
// fit; a missing or rejected cache is written when the process exits, with what the run compiled.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The CommonJS wrapper Node puts around a module's source. */
const wrap = (source) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

function cachePath(file, command) {
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256')
    .update([process.version, process.arch, size, mtimeMs, command, process.env.NODE_OPTIONS ?? '', ...process.execArgv].join('\0'))
    .digest('hex')
    .slice(0, 16);
  return join(dirname(file), `${basename(file)}.${key}.v8cache`);
}

function readCache(path) {
  try {
    return readFileSync(path);
  } catch (error) {
    // No cache yet (the first run of this command) is the usual case; any other failure to read
    // one only costs this start the full compile, and the exit below tries to write it anew.
    if (error.code !== 'ENOENT') process.emitWarning(`switchboard: code cache ${path} not read (${error.code ?? error.message}); compiling the engine without it`);
    return undefined;
  }
}

/** Writes the cache atomically (other processes may be reading it), at exit: nothing may throw here. */
function writeCache(path, script) {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    // An installation folder the user cannot write to (a global install, a read-only image) runs
    // without the cache, as before it existed; any other failure is said, and costs only speed.
    if (error.code !== 'EACCES' && error.code !== 'EPERM' && error.code !== 'EROFS') {
      process.stderr.write(`switchboard: code cache ${path} not written (${error.code ?? error.message}); the next start compiles the engine again\n`);
    }
  }
}

/** Compiles the bundle `file` with the cache of `command`, if there is one; `cached`: a cache was given and V8 took it. */
export function compileEngine(file, command) {
  const path = cachePath(file, command);
  const cachedData = readCache(path);
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  return { script, path, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** Runs the bundle `file` as CommonJS and returns its exports; `command` (the CLI's first argument) picks the cache. */
export function loadEngine(file, command = '') {
  const { script, path, cached } = compileEngine(file, command);
  if (!cached) process.once('exit', () => writeCache(path, script));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

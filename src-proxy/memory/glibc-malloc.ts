/**
 * glibc's allocator, reached through native/glibc-malloc.c (Node has no binding for mallopt() or
 * malloc_trim()). An engine that sat idle kept 10–15 MB of freed native memory: glibc raises its
 * trim threshold to twice the largest mmapped chunk freed so far (the 2 MB bundle source at
 * start), so every arena keeps up to ~4 MB of free top, and frees inside the main arena stay as
 * holes (README, Performance: idle RSS). The addon is built at install on glibc Linux
 * (scripts/build-native.mjs); anywhere else, or when it could not be built, the engine runs
 * without it, as before.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface GlibcMalloc {
  /** mallopt(M_MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD); fixing them stops glibc's dynamic raise. True when glibc took both. */
  setThresholds(trimBytes: number, mmapBytes: number): boolean;
  /** malloc_trim(0): gives the free pages of every arena back. True when some were given back. */
  trim(): boolean;
}

/**
 * Where the build puts the addon: dist/native/, beside dist/proxy (serve, the library) and
 * dist/main (the desktop app), which both bundle this module.
 */
export const GLIBC_MALLOC_ADDON = fileURLToPath(new URL('../native/glibc-malloc.node', import.meta.url));

export type GlibcMallocLoad = { malloc: GlibcMalloc; reason?: undefined } | { malloc: null; reason: string };

/** The addon at `file`, or why there is none (never throws: the engine runs without it). */
export function loadGlibcMalloc(file = GLIBC_MALLOC_ADDON): GlibcMallocLoad {
  if (process.platform !== 'linux') return { malloc: null, reason: `not Linux (${process.platform})` };
  if (!existsSync(file)) return { malloc: null, reason: `${file} was not built (no C compiler, Node headers or glibc at install)` };
  try {
    return { malloc: createRequire(import.meta.url)(file) as GlibcMalloc };
  } catch (error) {
    return { malloc: null, reason: `${file} did not load: ${(error as Error).message}` };
  }
}

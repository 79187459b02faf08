/** Where the build puts the allocator addon (see build-native.mjs). */
export const ADDON: string;
export type NativeBuild = { built: string; fresh?: true; skipped?: undefined } | { skipped: string; built?: undefined };
/** Builds native/glibc-malloc.c unless a fresh addon is there; never throws. */
export function buildNative(options?: { quiet?: boolean; env?: NodeJS.ProcessEnv; out?: (line: string) => void; addon?: string }): NativeBuild;

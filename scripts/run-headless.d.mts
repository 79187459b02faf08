import type { ChildProcess } from 'node:child_process';
/** Spawns `switchboard serve` with `args` and passes signals on (see run-headless.mjs). */
export function runHeadless(args: string[], why: string | null): ChildProcess;

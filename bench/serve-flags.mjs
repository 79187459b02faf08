// The Node flags `serve` runs with, read from bin/switchboard.js's first line (one source of
// truth): the bench starts its Switchboard processes with the same flags, so it measures what
// users run.
import { readFileSync } from 'node:fs';

export function serveNodeFlags() {
  const first = readFileSync(new URL('../bin/switchboard.js', import.meta.url), 'utf8').split('\n', 1)[0];
  const match = /^#!\/usr\/bin\/env -S node(.*)$/.exec(first);
  return match ? match[1].trim().split(/\s+/).filter(Boolean) : [];
}

#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=20
// The `switchboard` command: runs the bundled headless engine (built by `npm install` / `npm run build:proxy`).
// The Node flags above were chosen by measurement (README, Performance); `npm run serve` passes the same.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './load-engine.js';

const cli = fileURLToPath(new URL('../dist/proxy/cli.cjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('switchboard: the engine is not built yet. Run "npm install" (or "npm run build:proxy") in the Switchboard folder first.');
  process.exit(1);
}
const { main } = loadEngine(cli, process.argv[2]);
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// The `switchboard` command: runs the bundled headless engine (built by `npm install` / `npm run build:proxy`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/proxy/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('switchboard: the engine is not built yet. Run "npm install" (or "npm run build:proxy") in the Switchboard folder first.');
  process.exit(1);
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));

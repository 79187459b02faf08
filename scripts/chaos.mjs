#!/usr/bin/env node
// `npm run test:chaos`: the chaos suite (test/chaos) at the full sizes, then its table of
// figures. Exits non-zero when vitest fails or any probe falls short. Its short form runs in
// `npm test` with the other tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const figuresFile = join(root, 'test-results', 'chaos-figures.json');
rmSync(figuresFile, { force: true });
const run = spawnSync('npx', ['vitest', 'run', 'test/chaos', '--reporter=default'], { cwd: root, stdio: 'inherit', env: { ...process.env, CHAOS_SCALE: 'full' } });
if (!existsSync(figuresFile)) {
  console.error('The chaos suite wrote no figures; see the vitest output above.');
  process.exit(run.status || 1);
}
const { figures } = JSON.parse(readFileSync(figuresFile, 'utf8'));
const short = figures.filter((f) => !(f.tried > 0 && f.held >= f.needed));
console.log('\nprobe                        tried    held  needed  result');
for (const f of figures) {
  const ok = f.tried > 0 && f.held >= f.needed;
  console.log(`${f.probe.padEnd(26)} ${String(f.tried).padStart(7)} ${String(f.held).padStart(7)} ${String(f.needed).padStart(7)}  ${ok ? 'ok' : 'SHORT'}  ${f.detail}`);
}
console.log(short.length === 0 && run.status === 0 ? '\nEvery probe held.' : `\n${short.length} probe(s) fell short.`);
process.exit(run.status || (short.length > 0 ? 1 : 0));

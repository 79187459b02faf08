// @vitest-environment node
/**
 * `serve` runs with the Node flags chosen by measurement (README, Performance): the `switchboard`
 * command's shebang carries them, and `npm run serve` must pass the same ones (npm scripts run
 * `node bin/switchboard.js`, which ignores the shebang), and so must the Docker image's entry
 * point. One list, checked here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const shebang = readFileSync(new URL('bin/switchboard.js', root), 'utf8').split('\n', 1)[0]!;
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

describe('serve flags', () => {
  it('the shebang runs node with a bounded young generation', () => {
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node( --[a-z-]+=\S+)+$/);
    expect(shebang).toContain('--max-semi-space-size=');
  });
  it('the shebang grows the old generation by a fixed factor (peak RSS: README, Performance)', () => {
    expect(shebang).toContain('--heap-growing-percent=');
  });
  it('npm run serve passes the same flags', () => {
    const flags = shebang.replace('#!/usr/bin/env -S node ', '');
    expect(pkg.scripts.serve).toContain(`node ${flags} bin/switchboard.js serve`);
  });
  it('the Docker image runs serve with the same flags', () => {
    const flags = shebang.replace('#!/usr/bin/env -S node ', '').split(' ');
    const entry = JSON.stringify(['node', ...flags, 'bin/switchboard.js', 'serve']).replaceAll(',', ', ');
    expect(dockerfile).toContain(`ENTRYPOINT ${entry}`);
  });
});

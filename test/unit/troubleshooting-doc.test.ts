import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src-proxy/errors/codes.ts';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'troubleshooting.md'), 'utf8');
const headings = [...doc.matchAll(/^#{2,4} (.+)$/gm)].map((match) => match[1]!);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

describe('docs/troubleshooting.md', () => {
  it('has a symptom → cause → fix entry for every error code', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !headings.some((heading) => heading.startsWith(`\`${code}\``)));
    expect(missing, 'add a "#### `code` (status)" entry for each').toEqual([]);
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(headings.find((heading) => heading.startsWith(`\`${code}\``)), code).toContain(String(status));
    }
  });

  it.each(['port is taken', 'Copilot', 'Claude Code', 'Keys resting', 'stream stops', 'Body too large', 'dashboard says the token', 'Node version'])('covers the situation "%s"', (words) => {
    expect(headings.some((heading) => heading.includes(words))).toBe(true);
  });

  it('links only to headings that exist, and the README links to it', () => {
    const anchors = new Set(headings.map(slug));
    const broken = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!).filter((anchor) => !anchors.has(anchor));
    expect(broken).toEqual([]);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('(docs/troubleshooting.md)');
  });
});

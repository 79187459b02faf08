import { describe, expect, it } from 'vitest';
import { makeId, randomId } from '../../src-proxy/canonical/ids.ts';

describe('ids', () => {
  it('randomId gives 128 random bits per id, base64url, never the same twice across its entropy pool refills', () => {
    // 1,000 ids cross several refills of the pool (256 ids each).
    const ids = Array.from({ length: 1000 }, () => randomId('resp_'));
    for (const id of ids) expect(id).toMatch(/^resp_[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Neighbours share no bytes: each id decodes to its own 16 bytes.
    const bytes = ids.map((id) => Buffer.from(id.slice(5), 'base64url'));
    expect(bytes.every((b) => b.length === 16)).toBe(true);
    expect(bytes.slice(1).every((b, i) => !b.equals(bytes[i]!))).toBe(true);
  });

  it('makeId is unique per call with its prefix', () => {
    const ids = Array.from({ length: 100 }, () => makeId('msg_'));
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(id.startsWith('msg_')).toBe(true);
  });
});

// @vitest-environment node
/**
 * A cache miss on the same-dialect fast path must not keep its request past V8's scavenges: what
 * the cache keeps (the row written behind, its index entry) may outlive the young generation, the
 * request itself not. With a closure stored in the exchange's keepAnswer field (what keeps the
 * answer after it went out), V8's allocation-site pretenuring took over under the bench's load and
 * every such request was promoted — its socket objects, exchange and routeChat's frame: ~6 KB per
 * miss more than the same question without a cache, three times the GC time (README,
 * Performance). With --no-allocation-site-pretenuring the same build promoted no more than the
 * fix, and it did not happen in a slower load from this process, so this runs the bench's own
 * measurement: bench/profile-promoted.mjs (its mock, the bench's engine with serve's flags and a
 * client with every limit set, c=10, both pinned to one core, 2,000 requests to warm up), new
 * questions to the alias without a cache, then to the same alias with one (every request a miss).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const REQUESTS = 3000;

/** KB per request that outlived the young generation of the bench's engine asking `model` new questions. */
async function promotedKb(model: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'profile-promoted.mjs'), 'json', String(REQUESTS)], {
    cwd: root,
    env: { ...process.env, TARGETS: 'switchboard', MODEL: model, FRESH: '1', TOP: '0' },
  });
  const kb = /switchboard: ([\d.]+) KB per request outlived/.exec(stdout)?.[1];
  if (kb === undefined) throw new Error(`bench/profile-promoted.mjs printed no figure:\n${stdout}`);
  return Number(kb);
}

describe('a cache miss on the fast path', () => {
  it('does not keep its request past a scavenge', async () => {
    const plain = await promotedKb('bench');
    const cached = await promotedKb('bench-cached');
    // The row written behind and its index entry: ~1 KB; with the request kept as well ~6 KB more.
    expect(cached - plain, `promoted per request: ${plain} KB without a cache, ${cached} KB with`).toBeLessThan(3);
  }, 180_000);
});

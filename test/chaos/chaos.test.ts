/**
 * The chaos suite (issue 11): every probe in one run, loopback only, each bounded in count and
 * time. The short form runs in npm test; `npm run test:chaos` runs the full sizes and prints the
 * table of figures (tried / held), failing when any probe falls short.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FULL, formatTable, passes, saveFigures, scale, type Figure } from './figures.ts';
import { canarySecret, malformedBodies, modelNameTraversal } from './probes-input.ts';
import { crossClientResponses, keyCooldownAttack } from './probes-isolation.ts';
import { concurrentStreams, fairness, killNine, slowloris } from './probes-load.ts';

const figures: Figure[] = [];

async function run(probe: () => Promise<Figure>): Promise<void> {
  const figure = await probe();
  figures.push(figure);
  expect(passes(figure), `${figure.probe}: ${figure.held} of ${figure.tried} held (${figure.needed} needed) — ${figure.detail}`).toBe(true);
}

describe(`chaos suite (${FULL ? 'full' : 'short'} form)`, () => {
  afterAll(() => {
    saveFigures(figures);
    console.log(formatTable(figures));
  });

  it('malformed bodies across every front door', () => run(() => malformedBodies(scale(150, 10_000))), 180_000);
  it('model-name traversal on every provider kind', () => run(modelNameTraversal), 60_000);
  it('a canary secret is nowhere in clear', () => run(canarySecret), 60_000);
  it('the key-cooldown attack', () => run(() => keyCooldownAttack(scale(20, 200))), 120_000);
  it('cross-client Responses access', () => run(() => crossClientResponses(scale(5, 50))), 120_000);
  it('slowloris', () => run(() => slowloris(scale(100, 500), scale(5, 20))), 120_000);
  it('concurrent streams', () => run(() => concurrentStreams(scale(200, 1_000))), 240_000);
  it('fairness', () => run(() => fairness(scale(150, 300), scale(5, 20))), 120_000);
  it('kill -9 with an acknowledged-request ledger', () => run(() => killNine(scale(2, 10))), 300_000);
});

// @vitest-environment node
/**
 * What a finished stream leaves behind dies in a scavenge. V8 keeps an object in old space alive
 * until the next mark-compact, and treats everything an old object points at as live in every
 * scavenge before it, dead or not. Two things on the stream path made old objects that pointed at
 * each stream: an object literal with a `get` (V8 allocates its AccessorPair in old space, and the
 * pair holds the getter's closure, so the whole stream behind it) and a long-lived Set of open
 * requests (rehashed into a new old-space table every few additions, the dead one still holding
 * every request open then). Each promoted ~14 KB per SSE stream (README, Performance). A third:
 * an object literal that starts with a spread and adds a key (`{ ...request, grant }`) gets a
 * hidden class (Map) of its own on every evaluation on Node 20's V8, made in old space; the
 * upstream queue's waiters were built that way and the calls behind them were promoted.
 *
 * Measured as old-space growth after 2,000 simulated requests, 20 open at a time, each holding a
 * ~2 KB payload, and two scavenges with nothing of them kept: with either mistake it is 2-5 MB,
 * without it a few KB. Memory, not time: the heap is collected on demand (--expose-gc, set here).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { anthropicTap } from '../../src-proxy/dialects/anthropic/passthrough.ts';
import { geminiTap } from '../../src-proxy/dialects/gemini/passthrough.ts';
import { ollamaTap } from '../../src-proxy/dialects/ollama/passthrough.ts';
import { openAiTap } from '../../src-proxy/dialects/openai/passthrough.ts';
import { responsesTap } from '../../src-proxy/dialects/responses/passthrough.ts';
import { DEFAULT_LOOP_DETECTION } from '../../src-proxy/domain/guardrails.ts';
import type { Exchange } from '../../src-proxy/http/exchange.ts';
import { InFlightRequests, type InFlightNode } from '../../src-proxy/http/in-flight.ts';
import { watchFrames } from '../../src-proxy/http/passthrough-loops.ts';
import { watchSilence } from '../../src-proxy/http/ping-ticker.ts';
import { createStreamWriter } from '../../src-proxy/http/stream-writer.ts';
import { createSignatureCache } from '../../src-proxy/canonical/signature-cache.ts';
import { CallAbort } from '../../src-proxy/upstream/call-signal.ts';
import { createFairScheduler } from '../../src-proxy/upstream/fair-scheduler.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;

const REQUESTS = 2000;
const OPEN = 20;
/** Far below what either mistake promotes (2,000 payloads of ~2 KB: 2-5 MB), far above noise (0-60 KB). */
const LIMIT_KB = 512;

function oldSpaceUsed(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!.space_used_size;
}

/**
 * KB that moved into old space while `open` ran 2,000 times, 20 requests open at a time, each
 * with a payload of its own; `open` returns what ends the request. Long-lived state is made by
 * the caller before this runs, so it is in old space as a running engine's is. `settling`: the
 * end settles a promise, so the loop waits for the promise jobs after each request, as the event
 * loop would, instead of letting 2,000 of them pile up (and be promoted) while it runs.
 */
async function promotedKb(open: (payload: number[]) => () => void, settling = false): Promise<number> {
  gc();
  gc();
  const before = oldSpaceUsed();
  const running: Array<() => void> = [];
  for (let i = 0; i < REQUESTS; i++) {
    running.push(open(new Array<number>(256).fill(i)));
    if (running.length > OPEN) running.shift()!();
    if (settling) await null;
  }
  while (running.length > 0) running.shift()!();
  if (settling) await null;
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  return (oldSpaceUsed() - before) / 1024;
}

/** The parts of an exchange a tap touches, with the stream's payload behind it as a real exchange has its request. */
function exchangeHolding(payload: number[]): Exchange {
  return { payload, markFirstToken() {}, setUsage() {}, usage: null, upstreamModel: 'model' } as unknown as Exchange;
}

describe('a finished stream is not kept past a scavenge', () => {
  const taps = {
    openai: (exchange: Exchange) => openAiTap(exchange, true),
    anthropic: anthropicTap,
    gemini: geminiTap,
    ollama: ollamaTap,
    responses: (exchange: Exchange) => responsesTap(exchange, { pingIntervalMs: 15_000 }),
  };
  for (const [dialect, makeTap] of Object.entries(taps)) {
    it(`by its ${dialect} passthrough tap`, async () => {
      const promoted = await promotedKb((payload) => {
        const tap = makeTap(exchangeHolding(payload));
        tap.frame(Buffer.from('data: {"x":1}\n\n'));
        return () => void (tap.complete || tap.error);
      });
      expect(promoted).toBeLessThan(LIMIT_KB);
    });
  }

  it('by its stream writer', async () => {
    const promoted = await promotedKb((payload) => {
      const res = new ServerResponse(new IncomingMessage(new Socket()));
      res.setHeader('x-payload', payload.map(String));
      const writer = createStreamWriter(res);
      return () => void writer.closed;
    });
    expect(promoted).toBeLessThan(LIMIT_KB);
  });

  it('by its loop watch', async () => {
    const promoted = await promotedKb((payload) => {
      const loops = watchFrames(exchangeHolding(payload), { settings: DEFAULT_LOOP_DETECTION, onLoop() {} }, (frame) => frame.toString());
      loops.check([Buffer.from('some answer text')]);
      return () => {
        void loops.chars;
        loops.release();
      };
    });
    expect(promoted).toBeLessThan(LIMIT_KB);
  });

  it('by the registry of requests in flight', async () => {
    const registry = new InFlightRequests();
    const keeper: InFlightNode = { inflightPrev: null, inflightNext: null, inflightList: null, stopper: { terminate() {} } };
    registry.add(keeper);
    const promoted = await promotedKb((payload) => {
      const node: InFlightNode = { inflightPrev: null, inflightNext: null, inflightList: null, stopper: { terminate: () => void payload } };
      registry.add(node);
      return () => registry.delete(node);
    });
    expect(promoted).toBeLessThan(LIMIT_KB);
    expect([...registry]).toEqual([keeper.stopper]);
    registry.delete(keeper);
    expect(registry.size).toBe(0);
  });

  it('by the keep-alive ticker', async () => {
    // A stream that stays open the whole time keeps the ticker (and its list) in old space.
    const stopKeeper = watchSilence(3_600_000, { wrote: true, quiet: 0, ping: () => false });
    const promoted = await promotedKb((payload) => watchSilence(3_600_000, { wrote: true, quiet: 0, ping: () => payload.length > 0 }));
    stopKeeper();
    expect(promoted).toBeLessThan(LIMIT_KB);
  });

  it('by the upstream queue it waited in', async () => {
    // Every slot is taken for the whole run, so each call queues; it leaves the queue when its
    // client goes away, as a caller that gives up does. Its signal holds the request's payload, as
    // a request's own abort listeners hold the request. With the waiter built as `{ ...request, … }`
    // (a Map of its own per waiter, in old space) this was 1.4-1.7 MB, without it 0.04-0.2.
    const scheduler = createFairScheduler({ capacity: () => 2, reserve: 0 });
    const taken = [scheduler.tryAcquire('other')!, scheduler.tryAcquire('other')!];
    const ignore = () => {};
    const gone = new Error('client went away');
    const queueOne = (payload: number[]) => {
      const signal = new CallAbort();
      signal.addEventListener('abort', () => void payload);
      scheduler.acquire('agent', signal).catch(ignore);
      return () => signal.abort(gone);
    };
    const promoted = await promotedKb(queueOne, true);
    expect(promoted).toBeLessThan(LIMIT_KB);
    expect(scheduler.stats()).toMatchObject({ active: 2, queued: 0 });
    for (const slot of taken) slot.release();
  });

  it('by the signature cache its answer was read back with', async () => {
    // The Anthropic door's cache fill reads each answer back with a throwaway cache of its own.
    const promoted = await promotedKb((payload) => {
      const signatures = createSignatureCache<number[]>(1);
      signatures.remember('toolu_1', payload);
      return () => void signatures.size;
    });
    expect(promoted).toBeLessThan(LIMIT_KB);
  });
});

// @vitest-environment node
/**
 * The requests in flight (http/in-flight.ts) as a draining stop walks them: ending a request
 * unlinks it at once (an exchange's terminate finishes it), and that must not cut the walk short
 * nor reach a request that already left.
 */
import { expect, it } from 'vitest';
import { InFlightRequests, type InFlightNode } from '../../src-proxy/http/in-flight.ts';
import type { GatewayError } from '../../src-proxy/errors/codes.ts';

const stopping = { code: 'stopping' } as unknown as GatewayError;

function request(registry: InFlightRequests, name: string, ended: string[], alsoEnds: () => InFlightNode[] = () => []): InFlightNode {
  const node: InFlightNode = {
    inflightPrev: null,
    inflightNext: null,
    inflightList: null,
    stopper: {
      terminate() {
        ended.push(name);
        registry.delete(node);
        for (const other of alsoEnds()) registry.delete(other);
      },
    },
  };
  registry.add(node);
  return node;
}

it('a walk ends every request even when each one leaves the registry as it is ended', () => {
  const registry = new InFlightRequests();
  const ended: string[] = [];
  for (const name of ['a', 'b', 'c']) request(registry, name, ended);
  for (const entry of registry) entry.terminate(stopping);
  expect(ended.sort()).toEqual(['a', 'b', 'c']);
  expect(registry.size).toBe(0);
});

it('a request that leaves while the walk runs is not visited, and the rest still are', () => {
  const registry = new InFlightRequests();
  const ended: string[] = [];
  const a = request(registry, 'a', ended);
  const b = request(registry, 'b', ended);
  // Newest first: d, c, b, a. Ending d takes a with it; ending c takes b, the next one in the walk.
  request(registry, 'c', ended, () => [b]);
  request(registry, 'd', ended, () => [a]);
  for (const entry of registry) entry.terminate(stopping);
  expect(ended).toEqual(['d', 'c']);
  expect(registry.size).toBe(0);
});

it('turnover counts each request linked in and each one unlinked, once (the idle trim reads it)', () => {
  const registry = new InFlightRequests();
  const ended: string[] = [];
  const a = request(registry, 'a', ended);
  registry.add(a);
  expect(registry.turnover).toBe(1);
  registry.delete(a);
  registry.delete(a);
  expect(registry.turnover).toBe(2);
  request(registry, 'b', ended);
  registry.clear();
  expect(registry.turnover).toBe(4);
});

it('calls back once when the next request is linked in', () => {
  const registry = new InFlightRequests();
  const ended: string[] = [];
  let calls = 0;
  registry.whenNextAdded(() => calls++);
  expect(calls).toBe(0);
  request(registry, 'a', ended);
  request(registry, 'b', ended);
  expect(calls).toBe(1);
});

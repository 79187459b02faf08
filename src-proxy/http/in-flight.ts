/**
 * The requests in progress, for a draining stop: each one's current way of ending (an error
 * status before its answer started, the dialect's in-band error once it streams).
 *
 * A list the requests link into themselves, not a Set. A long-lived Set whose table lives in
 * V8's old space rehashes into a new old-space table every few additions, and the table it
 * leaves behind is dead but still points at every request that was in flight then: old-space
 * objects are roots for every scavenge until the next mark-compact, so those requests and all
 * they reach were promoted. Under concurrency that was ~7.5 KB per SSE stream at c=10 (README,
 * Performance). Here a request that leaves clears its own links and nothing else points at it.
 */
import type { GatewayError } from '../errors/codes.ts';

export interface InFlight {
  /** Ends the answer with the dialect's in-band error (or an error status if nothing was sent). */
  terminate(error: GatewayError): void;
}

/** A request while it runs: linked into the registry by these fields, owned by this module. */
export interface InFlightNode {
  inflightPrev: InFlightNode | null;
  inflightNext: InFlightNode | null;
  inflightList: InFlightRequests | null;
  /** How a draining stop ends this request now. */
  readonly stopper: InFlight;
}

export class InFlightRequests implements Iterable<InFlight> {
  private head: InFlightNode | null = null;
  private count = 0;
  private moves = 0;
  private onNextAdd: (() => void) | null = null;

  get size(): number {
    return this.count;
  }

  /** Requests linked in plus requests unlinked so far: unchanged over a stretch means the gateway was idle (memory/idle-trim.ts). */
  get turnover(): number {
    return this.moves;
  }

  /** Calls `callback` once, when the next request is linked in (an idle timer that stopped waits for it; one at a time). */
  whenNextAdded(callback: () => void): void {
    this.onNextAdd = callback;
  }

  add(node: InFlightNode): void {
    if (node.inflightList) return;
    node.inflightList = this;
    node.inflightPrev = null;
    node.inflightNext = this.head;
    if (this.head) this.head.inflightPrev = node;
    this.head = node;
    this.count++;
    this.moves++;
    if (this.onNextAdd !== null) {
      const callback = this.onNextAdd;
      this.onNextAdd = null;
      callback();
    }
  }

  /** Unlinks `node` (its request ended); nothing happens if it is not in this registry. */
  delete(node: InFlightNode): void {
    if (node.inflightList !== this) return;
    const { inflightPrev: prev, inflightNext: next } = node;
    if (prev) prev.inflightNext = next;
    else this.head = next;
    if (next) next.inflightPrev = prev;
    node.inflightPrev = null;
    node.inflightNext = null;
    node.inflightList = null;
    this.count--;
    this.moves++;
  }

  /** Unlinks every request. */
  clear(): void {
    while (this.head) this.delete(this.head);
  }

  /**
   * The current way of ending each request in flight. Ending one unlinks it at once (and may end
   * others), so the walk takes the list as it is first and skips a request that left meanwhile;
   * one that arrives during the walk is not visited. Only a draining stop walks it.
   */
  *[Symbol.iterator](): Iterator<InFlight> {
    const nodes: InFlightNode[] = [];
    for (let node = this.head; node; node = node.inflightNext) nodes.push(node);
    for (const node of nodes) if (node.inflightList === this) yield node.stopper;
  }
}

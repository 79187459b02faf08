/**
 * A sliding one-minute sum (requests or tokens) in one-second slices: O(1) to add and to read,
 * 61 numbers of memory, no per-request allocation. A slice counts until a full minute has passed
 * after its *end*, so the sum over any true 60-second span never exceeds what the window admitted
 * (a provider that enforces its own sliding minute never sees more than the limit); the price is
 * that a slot frees up to one second late.
 */
const SLICE_MS = 1000;
const WINDOW_SLICES = 60;
/** The slices alive at once: the current one and the 60 before it. */
const RING = WINDOW_SLICES + 1;

export class SlidingWindow {
  private readonly ring = new Float64Array(RING);
  /** Slice number (epoch ms / 1000) the ring was last advanced to. */
  private head = 0;
  private sum = 0;

  /** The total of the last minute at `now`. */
  total(now: number): number {
    this.advance(now);
    return this.sum;
  }

  add(now: number, amount: number): void {
    this.advance(now);
    this.ring[this.head % RING]! += amount;
    this.sum += amount;
  }

  /**
   * Changes an amount added at `addedAt` (a token estimate corrected by the real count). While
   * that slice still counts, the slice itself changes (never below zero); after, only an increase
   * is kept, in the current slice.
   */
  adjust(now: number, addedAt: number, delta: number): void {
    this.advance(now);
    const slice = Math.floor(addedAt / SLICE_MS);
    if (slice > this.head - RING && slice <= this.head) {
      const index = slice % RING;
      const next = Math.max(0, this.ring[index]! + delta);
      this.sum += next - this.ring[index]!;
      this.ring[index] = next;
    } else if (delta > 0) {
      this.add(now, delta);
    }
  }

  /**
   * Milliseconds until `amount` more fits under `limit` (0 when it fits now): the oldest slices
   * expire one by one until enough has gone.
   */
  waitMs(now: number, amount: number, limit: number): number {
    this.advance(now);
    let remaining = this.sum;
    if (remaining + amount <= limit) return 0;
    for (let step = 1; step <= RING; step++) {
      const slice = this.head - RING + step;
      remaining -= this.ring[((slice % RING) + RING) % RING]!;
      if (remaining + amount <= limit || remaining <= 0) return (this.head + step) * SLICE_MS - now;
    }
    return RING * SLICE_MS;
  }

  private advance(now: number): void {
    const slice = Math.floor(now / SLICE_MS);
    if (slice <= this.head) return;
    if (slice - this.head >= RING) {
      this.ring.fill(0);
      this.sum = 0;
    } else {
      for (let s = this.head + 1; s <= slice; s++) {
        const index = s % RING;
        this.sum -= this.ring[index]!;
        this.ring[index] = 0;
      }
      // Float drift from token corrections must not leave a ghost of -0.0000001.
      if (this.sum < 1e-9) this.sum = Math.max(0, this.sum);
    }
    this.head = slice;
  }
}

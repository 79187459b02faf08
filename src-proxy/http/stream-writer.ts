/**
 * Writes a streaming answer to the client: honours backpressure (waits for 'drain', gives up
 * when the client is gone), sends keep-alive comments while the upstream is silent, and only
 * ever writes whole events, so a ping or an in-band error never lands inside one.
 *
 * An answer that failed after its headers ends with `fail`: its in-band error is written and the
 * connection is then cut without HTTP's clean end (no terminating chunk), so a client that cannot
 * parse the error line still sees a broken answer instead of a short one that looks complete.
 *
 * Everything written in one tick — typically all events decoded from one upstream chunk — is
 * joined and leaves as a single socket write: ~50 small writes per streamed answer were the
 * largest cost of a translated stream.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { watchSilence, type PingTarget } from './ping-ticker.ts';

export interface StreamWriter {
  readonly closed: boolean;
  /**
   * Queues bytes for this tick's write. Returns a promise only when the socket needs draining
   * (await it); otherwise nothing, so a stream's per-event loop takes no promise hop for it.
   */
  write(chunk: string | Buffer): Promise<void> | undefined;
  /** Writes what is queued now instead of at the end of the tick (before bookkeeping). */
  flush(): void;
  /**
   * Writes `chunk` now, after whatever is queued (the first token): `write` then `flush`, without
   * the end-of-tick write `write` would queue for nothing.
   */
  writeNow(chunk: string | Buffer): void;
  /**
   * The answer is complete and only its last bytes are still to come (after the history row is
   * durable): what is queued now leaves with them in one socket write instead of on its own.
   */
  hold(): void;
  /** Starts keep-alive pings; `ping` builds the dialect's keep-alive text. */
  startPings(intervalMs: number, ping: () => string): void;
  end(chunk?: string | Buffer): void;
  /** Writes the last bytes (an in-band error), then cuts the connection without a clean end. */
  fail(chunk?: string | Buffer): void;
}

function join(parts: Array<string | Buffer>): string | Buffer {
  if (parts.length === 1) return parts[0]!;
  let strings = 0;
  for (const part of parts) if (typeof part === 'string') strings++;
  if (strings === parts.length) return (parts as string[]).join('');
  if (strings === 0) return Buffer.concat(parts as Buffer[]);
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

/**
 * A class, not an object literal: `closed` is a getter, and a getter in an object literal
 * allocates a V8 AccessorPair in old space per stream that kept the whole stream alive through
 * every scavenge until the next mark-compact (README, Performance). On a class it is on the
 * prototype, once.
 */
class ResponseWriter implements StreamWriter {
  private closedByClient = false;
  // Keep-alive pings: one shared ticker for all open streams (ping-ticker.ts); a write only marks the stream busy.
  private pinging: PingTarget | null = null;
  private stopPings: (() => void) | null = null;
  private readonly pending: Array<string | Buffer> = [];
  private scheduled = false;
  private held = false;
  /** fail() was called: nothing more is written and end() must not end the answer cleanly. */
  private failing = false;

  constructor(private readonly res: ServerResponse) {
    res.once('close', this.onClose);
  }

  private readonly onClose = (): void => {
    this.closedByClient = true;
    this.endPings();
  };

  /** Writes what is queued (the end of the tick, or now); nothing while held. */
  private readonly flushQueued = (): void => {
    this.scheduled = false;
    if (this.held) return;
    const { pending, res } = this;
    if (pending.length === 0 || res.destroyed || res.writableEnded) {
      pending.length = 0;
      return;
    }
    const data = join(pending);
    pending.length = 0;
    res.write(data);
  };

  private endPings(): void {
    this.stopPings?.();
    this.stopPings = null;
    this.pinging = null;
  }

  get closed(): boolean {
    return this.closedByClient || this.res.destroyed;
  }

  write(chunk: string | Buffer): Promise<void> | undefined {
    if (this.closed || this.failing) return undefined;
    if (this.pinging) this.pinging.wrote = true;
    this.pending.push(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flushQueued);
    }
    // Backpressure from the previous write: wait for the socket, but not for a client that left.
    const { res } = this;
    if (res.writableNeedDrain) return Promise.race([once(res, 'drain'), once(res, 'close')]).then(() => undefined);
    return undefined;
  }

  flush(): void {
    this.flushQueued();
    // Node corks a response's socket on a write until the next tick: "now" means uncorked.
    if (this.res.socket?.writableCorked) this.res.uncork();
  }

  writeNow(chunk: string | Buffer): void {
    if (this.closed || this.failing) return;
    if (this.pinging) this.pinging.wrote = true;
    this.pending.push(chunk);
    this.flush();
  }

  hold(): void {
    this.held = true;
  }

  startPings(intervalMs: number, ping: () => string): void {
    if (this.pinging || this.closed) return;
    const { pending, res } = this;
    const pinging: PingTarget = {
      wrote: true,
      quiet: 0,
      ping: () => {
        if (this.closed || pending.length > 0) return false;
        res.write(ping());
        return true;
      },
    };
    this.pinging = pinging;
    this.stopPings = watchSilence(intervalMs, pinging);
  }

  end(chunk?: string | Buffer): void {
    if (this.failing) return;
    this.endPings();
    const { pending, res } = this;
    if (chunk !== undefined) pending.push(chunk);
    if (this.closed || res.writableEnded) {
      pending.length = 0;
      return;
    }
    const data = pending.length > 0 ? join(pending) : undefined;
    pending.length = 0;
    if (data !== undefined) res.end(data);
    else res.end();
  }

  fail(chunk?: string | Buffer): void {
    if (this.failing) return;
    this.failing = true;
    this.endPings();
    const { pending, res } = this;
    if (chunk !== undefined) pending.push(chunk);
    const data = pending.length > 0 ? join(pending) : undefined;
    pending.length = 0;
    if (this.closedByClient || res.destroyed || res.writableEnded) return;
    // Destroyed once the bytes are handed to the socket: they still leave, then the FIN, with
    // no terminating chunk before it.
    if (data !== undefined) res.write(data, () => res.destroy());
    else res.destroy();
  }
}

export function createStreamWriter(res: ServerResponse): StreamWriter {
  return new ResponseWriter(res);
}

/**
 * Writes a streaming answer to the client: honours backpressure (waits for 'drain', gives up
 * when the client is gone), sends keep-alive comments while the upstream is silent, and knows
 * whether it is between events so an in-band error never lands inside a half-written event.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

export interface StreamWriter {
  readonly closed: boolean;
  /** Resolves when the bytes are handed to the socket (after 'drain' if needed). */
  write(chunk: string | Buffer): Promise<void>;
  /** Starts keep-alive pings; `ping` builds the dialect's keep-alive text. */
  startPings(intervalMs: number, ping: () => string): void;
  end(chunk?: string | Buffer): void;
}

export function createStreamWriter(res: ServerResponse): StreamWriter {
  let closed = false;
  let lastWriteAt = Date.now();
  let pingTimer: NodeJS.Timeout | null = null;
  let writing = false;
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    res.uncork();
  };
  res.once('close', () => {
    closed = true;
    if (pingTimer) clearInterval(pingTimer);
  });

  const writer: StreamWriter = {
    get closed() {
      return closed || res.destroyed;
    },
    async write(chunk) {
      if (writer.closed) return;
      lastWriteAt = Date.now();
      writing = true;
      // Events decoded from one upstream chunk are written in the same tick: cork until the
      // tick ends so they leave as one socket write (writev) instead of one syscall each.
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(uncork);
      }
      try {
        if (!res.write(chunk)) {
          uncork();
          // Wait for the socket to drain, but not for a client that already left.
          await Promise.race([once(res, 'drain'), once(res, 'close')]);
        }
      } finally {
        writing = false;
      }
    },
    startPings(intervalMs, ping) {
      if (pingTimer) return;
      pingTimer = setInterval(() => {
        if (writer.closed || writing) return;
        if (Date.now() - lastWriteAt >= intervalMs) {
          lastWriteAt = Date.now();
          res.write(ping());
        }
      }, Math.max(10, Math.floor(intervalMs / 2)));
      pingTimer.unref();
    },
    end(chunk) {
      if (pingTimer) clearInterval(pingTimer);
      uncork();
      if (writer.closed || res.writableEnded) return;
      if (chunk !== undefined) res.end(chunk);
      else res.end();
    },
  };
  return writer;
}

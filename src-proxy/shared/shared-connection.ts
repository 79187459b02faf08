/**
 * The connection to the shared server (Redis or Valkey: only commands both speak) that several
 * instances of one team use for what must agree within milliseconds. Commands fail fast while it
 * is unreachable (no offline queue, a short command timeout) so a request never waits on it; the
 * users of this connection fall back to per-instance state then (their "degraded mode"). The
 * connection reconnects on its own; `onChange` tells when it went away or came back, and each
 * transition is logged once.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface SharedConnection {
  /** Commands; they reject at once while the server is unreachable. */
  readonly client: Redis;
  /** Prefix of every key and channel of this deployment. */
  readonly prefix: string;
  /** Distinguishes this instance's own notifications from the others'. */
  readonly instanceId: string;
  /** The address without its password (logs, status). */
  readonly address: string;
  isUp(): boolean;
  /** Called with true when the server is reachable again, false when it went away. */
  onChange(listener: (up: boolean) => void): void;
  /** Times the server went away since start (the metric). */
  outages(): number;
  /** A message to every instance (this one included) on `channel` (prefixed). */
  publish(channel: string, message: string): void;
  subscribe(channel: string, handler: (message: string) => void): void;
  /** Resolves true once connected, false when not within `ms`. */
  whenUp(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface SharedConnectionOptions {
  url: string;
  logger: Logger;
  prefix?: string;
  /** A command slower than this fails (and the caller falls back). Default 1000 ms. */
  commandTimeoutMs?: number;
}

/** redis://user:secret@host:6379/0 → redis://user:***@host:6379/0 */
export function redactAddress(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unreadable address)';
  }
}

export function isSharedUrl(url: string): boolean {
  return /^(redis|rediss|valkey|valkeys):\/\/[^/]/.test(url);
}

// ioredis (~10 MB of heap) is loaded with the first shared connection: only `--shared` needs it.
let redisClass: typeof Redis | null = null;
const loadRedis = (): typeof Redis => (redisClass ??= (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis);

export function openSharedConnection(options: SharedConnectionOptions): SharedConnection {
  const { logger } = options;
  const Redis = loadRedis();
  const address = redactAddress(options.url);
  // ioredis speaks the same protocol to Valkey; it only knows the redis(s) scheme names.
  const url = options.url.replace(/^valkey(s?):/, 'redis$1:');
  const common = {
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
    connectTimeout: 2000,
    lazyConnect: false,
  };
  // Auto-pipelining: the commands issued in one turn of the event loop (every request's limit
  // scripts) leave in one socket write instead of one each; a write costs an instance more CPU
  // than the script call around it (README, Team server).
  const client = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: options.commandTimeoutMs ?? 1000, enableAutoPipelining: true });
  // Subscriptions wait for the connection (and are renewed after a reconnect).
  const subscriber = new Redis(url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const prefix = options.prefix ?? 'switchboard:';
  const instanceId = randomUUID();
  const listeners: Array<(up: boolean) => void> = [];
  const handlers = new Map<string, Array<(message: string) => void>>();
  let up = false;
  let wentAway = 0;
  let everUp = false;
  let closing = false;

  function set(next: boolean): void {
    if (next === up || closing) return;
    up = next;
    if (next) {
      if (everUp) logger.warn({ shared: address }, 'the shared server is reachable again: limits, cooldowns and the cache are shared between instances again');
      else logger.info({ shared: address }, 'connected to the shared server');
      everUp = true;
    } else {
      wentAway += 1;
      logger.error({ shared: address }, 'the shared server is unreachable: each instance now applies limits on its own (degraded mode) until it returns');
    }
    for (const listener of listeners) listener(next);
  }

  client.on('ready', () => set(true));
  client.on('close', () => set(false));
  // Errors are reported through the transitions above; an unhandled 'error' would only be noise.
  client.on('error', (error: Error) => logger.debug({ err: error }, 'shared server connection error'));
  subscriber.on('error', (error: Error) => logger.debug({ err: error }, 'shared server subscription error'));
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch (error) {
        logger.error({ err: error, channel }, 'a shared notification handler failed');
      }
    }
  });

  return {
    client,
    prefix,
    instanceId,
    address,
    isUp: () => up,
    onChange: (listener) => void listeners.push(listener),
    outages: () => wentAway,
    publish(channel, message) {
      if (!up) return;
      client.publish(prefix + channel, message).catch((error: unknown) => logger.warn({ err: error, channel }, 'could not notify the other instances'));
    },
    subscribe(channel, handler) {
      const name = prefix + channel;
      const list = handlers.get(name);
      if (list) return void list.push(handler);
      handlers.set(name, [handler]);
      subscriber.subscribe(name).catch((error: unknown) => logger.error({ err: error, channel }, 'could not subscribe to shared notifications'));
    },
    whenUp(ms) {
      if (up) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(up), ms);
        timer.unref();
        listeners.push((next) => {
          if (!next) return;
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      closing = true;
      // QUIT lets a reachable server finish what was sent. While it is away ioredis would queue the
      // QUIT until a reconnect that may never come, so shutdown waits at most a second for it.
      if (up) {
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)));
        await Promise.race([Promise.allSettled([client.quit(), subscriber.quit()]), bound]);
        clearTimeout(timer);
      }
      client.disconnect();
      subscriber.disconnect();
    },
  };
}

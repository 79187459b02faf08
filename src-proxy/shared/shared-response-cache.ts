/**
 * The response cache on the shared server, behind the cache's own interface: an answer kept by
 * one instance is a hit on every other. Entries expire on the server (PX); the bytes they take
 * are kept beside them, and a write that goes over settings.cache.maxMb evicts the entries that
 * expire soonest, in the same script. While the shared server is unreachable the instance uses
 * its local (SQLite) cache instead — answers kept then stay local.
 */
import type { CacheStats } from '../domain/response-cache.ts';
import type { CachedAnswer, ResponseCacheStore } from '../cache/types.ts';
import type { SharedConnection } from './shared-connection.ts';

/** Bytes an entry costs beyond its body, as the SQLite cache counts them. */
const ENTRY_OVERHEAD_BYTES = 128;

/**
 * KEYS: expiry (zset name→expiresAt), sizes (hash name→bytes), total (bytes).
 * ARGV: entry key prefix, name, body, ttl ms, expiresAt, bytes, maxBytes, now.
 */
const SET = `
local prefix, name = ARGV[1], ARGV[2]
local bytes, maxBytes, now = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local function drop(member)
  redis.call('DEL', prefix .. member)
  redis.call('ZREM', KEYS[1], member)
  local size = tonumber(redis.call('HGET', KEYS[2], member) or '0')
  redis.call('HDEL', KEYS[2], member)
  redis.call('DECRBY', KEYS[3], size)
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do drop(member) end
if redis.call('HEXISTS', KEYS[2], name) == 1 then drop(name) end
redis.call('SET', prefix .. name, ARGV[3], 'PX', ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[5], name)
redis.call('HSET', KEYS[2], name, bytes)
local total = redis.call('INCRBY', KEYS[3], bytes)
while total > maxBytes do
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #first == 0 then break end
  drop(first[1])
  total = tonumber(redis.call('GET', KEYS[3]) or '0')
end
return total
`;

/** KEYS: expiry, sizes, total. ARGV: entry key prefix, now. Answers {entries, bytes} after dropping the expired. */
const STATS = `
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('DECRBY', KEYS[3], tonumber(redis.call('HGET', KEYS[2], member) or '0'))
  redis.call('HDEL', KEYS[2], member)
end
return {redis.call('ZCARD', KEYS[1]), tonumber(redis.call('GET', KEYS[3]) or '0')}
`;

/** KEYS: expiry, sizes, total. ARGV: entry key prefix. Answers how many entries went. */
const CLEAR = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, member in ipairs(members) do redis.call('DEL', ARGV[1] .. member) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return #members
`;

type Script = (...args: Array<string | number>) => Promise<unknown>;

export interface SharedResponseCacheOptions {
  connection: SharedConnection;
  /** This instance's own cache: used while the shared server is unreachable. */
  local: ResponseCacheStore;
  maxBytes(): number;
  onError(error: unknown): void;
  now?: () => number;
}

export function createSharedResponseCache(options: SharedResponseCacheOptions): ResponseCacheStore {
  const { connection, local, onError } = options;
  const now = options.now ?? Date.now;
  const client = connection.client;
  // One hash tag: the books and the entries live together on a cluster too.
  const base = `${connection.prefix}{cache}`;
  const books = [`${base}:expiry`, `${base}:sizes`, `${base}:bytes`];
  const entryPrefix = `${base}:entry:`;
  client.defineCommand('switchboardCacheSet', { numberOfKeys: 3, lua: SET });
  client.defineCommand('switchboardCacheStats', { numberOfKeys: 3, lua: STATS });
  client.defineCommand('switchboardCacheClear', { numberOfKeys: 3, lua: CLEAR });
  const script = (name: string): Script => {
    const command = (client as unknown as Record<string, Script>)[name]!;
    return (...args) => command.apply(client, args);
  };
  const setScript = script('switchboardCacheSet');
  const statsScript = script('switchboardCacheStats');
  const clearScript = script('switchboardCacheClear');

  return {
    async get(key) {
      if (!connection.isUp()) return local.get(key);
      let text: string | null;
      try {
        text = await client.get(entryPrefix + key);
      } catch (error) {
        onError(error);
        return local.get(key);
      }
      if (text === null) return null;
      const found = JSON.parse(text) as CachedAnswer;
      return found.expiresAt > now() ? found : null;
    },

    set(key, answer) {
      if (!connection.isUp()) return local.set(key, answer);
      const body = JSON.stringify(answer);
      const bytes = Buffer.byteLength(body) + ENTRY_OVERHEAD_BYTES;
      const maxBytes = options.maxBytes();
      const at = now();
      const ttl = Math.floor(answer.expiresAt - at);
      // An answer bigger than the whole cache is not kept (it would evict everything, then itself).
      if (bytes > maxBytes || ttl <= 0) return;
      setScript(...books, entryPrefix, key, body, ttl, answer.expiresAt, bytes, maxBytes, at).catch(onError);
    },

    async clear() {
      const [shared, own] = await Promise.all([connection.isUp() ? (clearScript(...books, entryPrefix) as Promise<number>) : Promise.resolve(0), local.clear()]);
      return shared + own;
    },

    async stats(): Promise<CacheStats> {
      if (!connection.isUp()) return local.stats();
      const [entries, bytes] = (await statsScript(...books, entryPrefix, now())) as [number, number];
      return { entries, bytes, maxBytes: options.maxBytes() };
    },

    flush: () => local.flush(),
    close: () => local.close(),
  };
}

/**
 * Key cooldowns shared between instances: when a provider rate-limits or rejects a key on one
 * instance, the others rest the same key at once instead of each finding out with a failed
 * request of its own. A cooldown travels as a notification on the shared server naming the
 * provider and a fingerprint of the key's secret (a prefix of its SHA-256, never the secret), so
 * instances whose local key ids differ still agree on which key it is. The hot path stays local:
 * each instance's key pool holds its cooldowns in memory as before. An instance that starts later
 * learns only cooldowns announced after it connected (they last minutes).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { KeyRepository } from '../store/types.ts';
import type { SharedConnection } from './shared-connection.ts';

const CHANNEL = 'key-cooldowns';

export interface KeyCooldown {
  keyId: number;
  /** The upstream model it rests for; null = the whole key. */
  model: string | null;
  until: number;
}

export interface SharedCooldowns {
  /** This instance rested a key: tell the others. */
  announce(cooldown: KeyCooldown): void;
}

const noticeSchema = z.object({
  from: z.string(),
  provider: z.string(),
  fingerprint: z.string(),
  model: z.string().nullable(),
  until: z.number(),
});
type Notice = z.infer<typeof noticeSchema>;

export function fingerprintOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 32);
}

export function createSharedCooldowns(deps: {
  connection: SharedConnection;
  keys: Pick<KeyRepository, 'get' | 'secretsFor'>;
  /** Rests a local key without announcing it again. */
  rest(cooldown: KeyCooldown, message: string): void;
  onError(error: unknown): void;
}): SharedCooldowns {
  const { connection } = deps;

  function fingerprintOfKey(providerId: string, keyId: number): string | null {
    const key = deps.keys.secretsFor(providerId).find((candidate) => candidate.id === keyId);
    return key ? fingerprintOf(key.reveal()) : null;
  }

  connection.subscribe(CHANNEL, (message) => {
    let notice: Notice;
    try {
      notice = noticeSchema.parse(JSON.parse(message));
    } catch (error) {
      return deps.onError(error);
    }
    if (notice.from === connection.instanceId || notice.until <= Date.now()) return;
    const local = deps.keys.secretsFor(notice.provider).find((key) => fingerprintOf(key.reveal()) === notice.fingerprint);
    const what = notice.model === null ? 'rejected' : `rate-limited for ${notice.model}`;
    if (local) deps.rest({ keyId: local.id, model: notice.model, until: notice.until }, `${what} (seen by another instance)`);
  });

  return {
    announce(cooldown) {
      try {
        const providerId = deps.keys.get(cooldown.keyId)?.providerId;
        const fingerprint = providerId === undefined ? null : fingerprintOfKey(providerId, cooldown.keyId);
        if (providerId === undefined || fingerprint === null) return;
        const notice: Notice = { from: connection.instanceId, provider: providerId, fingerprint, model: cooldown.model, until: cooldown.until };
        connection.publish(CHANNEL, JSON.stringify(notice));
      } catch (error) {
        deps.onError(error);
      }
    },
  };
}

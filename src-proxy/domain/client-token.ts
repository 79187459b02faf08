import type { ClientGovernance } from './governance.ts';

/**
 * A client token as it may leave the core: a name and a hint, the token itself only once; and
 * what governs it (enabled, expiry, allowed models, limits — see governance.ts).
 */
export interface ClientTokenInfo extends ClientGovernance {
  id: string;
  name: string;
  /** e.g. "sb-…4f2c" */
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CreatedClientToken extends ClientTokenInfo {
  /** Shown once, at creation. */
  token: string;
}

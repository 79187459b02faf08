import type { ClientGovernance, ClientLimits, ClientUsage } from './governance.ts';
import type { ManagedBy } from './ownership.ts';

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
  managedBy: ManagedBy;
}

export interface CreatedClientToken extends ClientTokenInfo {
  /** Shown once, at creation. */
  token: string;
}

/** The dashboard's own client token, for "try it" and the Connect checks (one, reused). */
export interface DashboardClientToken {
  id: string;
  name: string;
  token: string;
}

/** A client token with what it consumed (the Clients page). */
export interface ClientInfo extends ClientTokenInfo {
  usage: ClientUsage;
}

/** Every client, and the tokenless Ollama lane (one client for limits). */
export interface ClientsOverview {
  clients: ClientInfo[];
  lane: { limits: ClientLimits; usage: ClientUsage };
}

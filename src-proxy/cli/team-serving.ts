/**
 * The flags of `serve` that only a team server takes: an address beyond loopback, TLS
 * (`--tls-cert/--tls-key`) and `--trust-proxy`. Team mode is `serve` on a shared store (the
 * PostgreSQL store, `--store postgres://…`); a laptop's SQLite instance holds one person's keys and
 * stays on loopback, so these are refused there with what to do instead.
 */
import { readFileSync } from 'node:fs';
import type { TeamServing } from '../gateway-types.ts';
import { describeFailure } from './cli-io.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1']);
const TEAM_ONLY =
  'is for a team server: run `switchboard serve --store postgres://…` (a store all instances share). A single instance listens on loopback only (127.0.0.1 or ::1); to reach it from elsewhere, use an SSH tunnel';

export interface TeamFlags {
  host?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'trust-proxy'?: string;
}

/** `--trust-proxy`: true/false, a number of hops, or addresses and CIDR ranges (comma-separated). */
export function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 10) return hops;
    throw new Error(`--trust-proxy takes 1 to 10 hops, not ${value}`);
  }
  if (!/^[0-9a-fA-F.:/, ]+$/.test(value)) throw new Error(`--trust-proxy must be true, false, a number of hops or addresses like 10.0.0.0/8,127.0.0.1, not "${value}"`);
  return value;
}

/**
 * The listen address and team serving options, or a message for the user (exit code 2).
 * `team` says whether this run is team mode (a shared store).
 */
export function teamServingOf(flags: TeamFlags, team: boolean): { host: string; serving?: TeamServing } | { error: string } {
  const host = flags.host ?? '127.0.0.1';
  if (!team) {
    if (!LOOPBACK.has(host)) return { error: `refusing to listen on "${host}": listening beyond loopback ${TEAM_ONLY}.` };
    for (const flag of ['tls-cert', 'tls-key', 'trust-proxy'] as const) if (flags[flag] !== undefined) return { error: `--${flag} ${TEAM_ONLY}.` };
    return { host };
  }
  if ((flags['tls-cert'] === undefined) !== (flags['tls-key'] === undefined)) return { error: '--tls-cert and --tls-key go together: the certificate (PEM) and its private key (PEM).' };
  const serving: TeamServing = {};
  if (flags['tls-cert'] !== undefined && flags['tls-key'] !== undefined) {
    try {
      serving.tls = { cert: readFileSync(flags['tls-cert']), key: readFileSync(flags['tls-key']) };
    } catch (error) {
      return { error: `cannot read the TLS certificate or key: ${describeFailure(error)}` };
    }
  }
  if (flags['trust-proxy'] !== undefined) {
    try {
      serving.trustProxy = parseTrustProxy(flags['trust-proxy']);
    } catch (error) {
      return { error: describeFailure(error) };
    }
  }
  return { host, serving };
}

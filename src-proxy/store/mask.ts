/**
 * The only form a secret leaves the core in: "sk-…9f3a" (first 3 + last 4) for secrets of 12+
 * characters, "…3a" (last 2) for shorter ones, and a bare "…" below 6 characters where even two
 * characters would give away too much.
 */
export function maskSecret(secret: string): string {
  if (secret.length >= 12) return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
  if (secret.length >= 6) return `…${secret.slice(-2)}`;
  return '…';
}

/** The tail kept for display (`last4` column): 4 characters, or 2 for short secrets. */
export function secretTail(secret: string): string {
  if (secret.length >= 12) return secret.slice(-4);
  if (secret.length >= 6) return secret.slice(-2);
  return '';
}

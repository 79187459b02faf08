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

/**
 * The public identifier of a key made of parts (a JSON object), masked like any secret: the
 * access key id of an AWS IAM key, the client_email of a service-account key. Masking the JSON
 * text itself would show its last characters, which belong to the secret part.
 */
const PUBLIC_ID_FIELDS = ['accessKeyId', 'client_email'] as const;

/** How a provider key is shown: `maskSecret` for a plain secret, the masked public id of a JSON key. */
export function maskKeySecret(secret: string): { masked: string; tail: string } {
  const trimmed = secret.trimStart();
  if (!trimmed.startsWith('{')) return { masked: maskSecret(secret), tail: secretTail(secret) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // Not JSON after all: a brace-led secret is masked without its ends showing structure.
    return { masked: maskSecret(secret), tail: secretTail(secret) };
  }
  const fields = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  for (const name of PUBLIC_ID_FIELDS) {
    const value = fields[name];
    if (typeof value === 'string' && value.length > 0) return { masked: `${name} ${maskSecret(value)}`, tail: secretTail(value) };
  }
  return { masked: 'JSON key …', tail: '' };
}

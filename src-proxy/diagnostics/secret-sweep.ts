/**
 * The diagnostics bundle's last line of defence: every secret the store holds (provider keys,
 * secret-named provider headers, client tokens, the admin and metrics tokens) is replaced
 * wherever it appears in the bundle's text, in plain form and in the encodings a secret travels
 * in (base64, base64url, URL-encoded, JSON-escaped). The bundle is built without bodies and
 * secrets to begin with; this catches one that slipped into an error message or a log line.
 */
import { isSensitiveHeaderName } from '../config/export-config.ts';
import { peekAdminToken } from '../control/admin-token.ts';
import { GatewayError } from '../errors/codes.ts';
import { REDACTED } from '../security/capture-redaction.ts';
import type { Store } from '../store/types.ts';

/** Shorter values are too likely to be ordinary words or numbers to be swept everywhere. */
const MIN_SWEPT_LENGTH = 8;

export type SecretSweep = (text: string) => string;

export function createSecretSweep(secrets: readonly string[]): SecretSweep {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SWEPT_LENGTH) continue;
    const bytes = Buffer.from(secret, 'utf8');
    for (const form of [secret, bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
      if (form.length >= MIN_SWEPT_LENGTH) forms.add(form);
    }
  }
  // Longest first, so a secret is replaced whole before any shorter form inside it.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}

/** Every secret the store can reveal; one it cannot decrypt cannot be written out either. */
export function storeSecrets(store: Store): string[] {
  const secrets: string[] = [];
  const add = (read: () => string | string[] | null) => {
    try {
      const value = read();
      if (value === null) return;
      secrets.push(...(Array.isArray(value) ? value : [value]));
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'secret_unavailable')) throw error;
    }
  };
  for (const provider of store.providers.list()) {
    add(() => store.keys.revealAll(provider.id));
    for (const [name, value] of Object.entries(provider.headers)) if (isSensitiveHeaderName(name)) secrets.push(value);
  }
  add(() => store.clientTokens.revealAll().map((entry) => entry.token));
  add(() => peekAdminToken(store));
  add(() => store.settings.get().metrics.token);
  return secrets;
}

/**
 * A Vertex key is a Google service-account JSON key (docs/wire-formats.md, "Vertex AI"): an
 * RS256 JWT signed with its `private_key` (node:crypto) is exchanged at its `token_uri`
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) for an access token of about an
 * hour. The JSON is validated here; the private key never leaves this module (nor any message).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { GatewayError } from '../../errors/codes.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

const serviceAccountSchema = z.object({
  type: z.literal('service_account').optional(),
  project_id: z.string().min(1).optional(),
  private_key_id: z.string().optional(),
  private_key: z.string().includes('PRIVATE KEY'),
  client_email: z.string().min(3),
  token_uri: z.string().url().optional(),
});

export interface ServiceAccount {
  projectId?: string;
  clientEmail: string;
  keyId?: string;
  privateKey: KeyObject;
  tokenUri: string;
}

/** Loopback http is allowed for a token endpoint (a local emulator); anything else must be https. */
function checkTokenUri(uri: string): string {
  const url = new URL(uri);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.href;
  throw new GatewayError('invalid_request', 'The service-account token_uri must be an https address', { param: 'secret' });
}

export function parseServiceAccount(secret: string): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(secret);
  } catch {
    throw new GatewayError('invalid_request', 'The Vertex key must be a service-account JSON key (the file downloaded from IAM → Service accounts → Keys)', { param: 'secret' });
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new GatewayError('invalid_request', `The service-account JSON key lacks or has a bad ${fields}`, { param: 'secret' });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(parsed.data.private_key);
  } catch {
    throw new GatewayError('invalid_request', 'The private_key of the service-account JSON key is not a readable PEM key', { param: 'secret' });
  }
  return {
    projectId: parsed.data.project_id,
    clientEmail: parsed.data.client_email,
    keyId: parsed.data.private_key_id,
    privateKey,
    tokenUri: checkTokenUri(parsed.data.token_uri ?? GOOGLE_TOKEN_URI),
  };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The signed assertion for the token endpoint, valid for an hour from `now` (ms). */
export function signAssertion(account: ServiceAccount, now: number): string {
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(account.keyId ? { kid: account.keyId } : {}) }));
  const claims = base64url(JSON.stringify({ iss: account.clientEmail, sub: account.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: account.tokenUri, iat, exp: iat + 3600 }));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), account.privateKey);
  return `${header}.${claims}.${base64url(signature)}`;
}

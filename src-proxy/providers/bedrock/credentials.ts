/**
 * A Bedrock key is one of two things (docs/wire-formats.md, "AWS Bedrock"):
 * - IAM credentials, signed with SigV4 by AWS's own signer: the JSON
 *   `{"accessKeyId":"…","secretAccessKey":"…","sessionToken":"…"}` (session token optional) or
 *   the short form `ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]`;
 * - a Bedrock API key, sent as `Authorization: Bearer …` (anything else).
 * The whole secret and each part of it are scrubbed from upstream error text.
 */
import { withFields } from '../../wire/with-fields.ts';
import { createRequire } from 'node:module';
import type { Hash } from '@smithy/hash-node';
import type { SignatureV4 } from '@smithy/signature-v4';
import { GatewayError } from '../../errors/codes.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type BedrockAuth = { type: 'sigv4'; credentials: AwsCredentials } | { type: 'bearer'; token: string };

const ACCESS_KEY_ID = /^(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}$/;

function fromJson(secret: string): AwsCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    throw new GatewayError('invalid_request', 'The Bedrock key looks like JSON but is not valid JSON; give {"accessKeyId","secretAccessKey"} or a Bedrock API key', { param: 'secret' });
  }
  const value = (parsed ?? {}) as Record<string, unknown>;
  if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string' || !value.accessKeyId || !value.secretAccessKey) {
    throw new GatewayError('invalid_request', 'The Bedrock key JSON needs "accessKeyId" and "secretAccessKey" (and optionally "sessionToken")', { param: 'secret' });
  }
  return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, ...(typeof value.sessionToken === 'string' && value.sessionToken ? { sessionToken: value.sessionToken } : {}) };
}

export function parseBedrockKey(secret: string): BedrockAuth {
  const trimmed = secret.trim();
  if (trimmed.startsWith('{')) return { type: 'sigv4', credentials: fromJson(trimmed) };
  const [id, key, token, ...rest] = trimmed.split(':');
  if (id && key && rest.length === 0 && ACCESS_KEY_ID.test(id)) return { type: 'sigv4', credentials: { accessKeyId: id, secretAccessKey: key, ...(token ? { sessionToken: token } : {}) } };
  return { type: 'bearer', token: trimmed };
}

/** Every string of this key that must never appear in an error message. */
export function bedrockSecrets(secret: string | undefined): string[] {
  if (!secret) return [];
  try {
    const auth = parseBedrockKey(secret);
    if (auth.type === 'bearer') return [secret, auth.token];
    return [secret, auth.credentials.secretAccessKey, ...(auth.credentials.sessionToken ? [auth.credentials.sessionToken] : [])];
  } catch {
    return [secret];
  }
}

// AWS's signer is loaded with the first signed request: a gateway without Bedrock never pays its
// modules (several MB of heap and tens of ms at start).
interface Smithy {
  Hash: typeof Hash;
  SignatureV4: typeof SignatureV4;
}
let smithy: Smithy | null = null;
function loadSmithy(): Smithy {
  if (smithy) return smithy;
  const require = createRequire(import.meta.url);
  smithy = { Hash: (require('@smithy/hash-node') as Smithy).Hash, SignatureV4: (require('@smithy/signature-v4') as Smithy).SignatureV4 };
  return smithy;
}

type SourceData = Parameters<Hash['update']>[0];

/** AWS's SHA-256 (node:crypto underneath) in the constructor shape the signer takes. */
export class Sha256 {
  private readonly hash: Hash;
  constructor(secret?: SourceData) {
    this.hash = new (loadSmithy().Hash)('sha256', secret as never);
  }
  update(data: SourceData, encoding?: 'utf8' | 'ascii' | 'latin1'): void {
    this.hash.update(data, encoding);
  }
  digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash.reset();
  }
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The headers to send: SigV4 (`authorization`, `x-amz-date`, `x-amz-security-token`) over the
 * method, path, query, host and body, or the bearer API key. `service` is `bedrock` for both
 * the runtime and the control-plane host.
 */
export async function authorize(auth: BedrockAuth, region: string, request: SignableRequest): Promise<Record<string, string>> {
  if (auth.type === 'bearer') return withFields(request.headers, { authorization: `Bearer ${auth.token}` });
  const signer = new (loadSmithy().SignatureV4)({ credentials: auth.credentials, region, service: 'bedrock', sha256: Sha256 });
  const query: Record<string, string> = {};
  for (const [name, value] of request.url.searchParams) query[name] = value;
  const signed = await signer.sign({
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    port: request.url.port ? Number(request.url.port) : undefined,
    path: request.url.pathname,
    query,
    headers: withFields(request.headers, { host: request.url.host }),
    body: request.body,
  });
  const headers = { ...(signed.headers as Record<string, string>) };
  // The HTTP client sets Host from the URL itself (the same value that was signed).
  delete headers.host;
  return headers;
}

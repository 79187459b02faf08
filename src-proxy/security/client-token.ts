/**
 * The client token arrives where each tool already puts its API key: `Authorization: Bearer …`
 * (OpenAI SDKs, ANTHROPIC_AUTH_TOKEN) or `x-api-key` (Anthropic SDKs). It is stripped before
 * anything is forwarded: upstream headers are built from scratch.
 */
export function presentedToken(headers: { authorization?: string; 'x-api-key'?: string | string[] }): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (match) return match[1]!.trim();
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  return null;
}

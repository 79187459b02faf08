import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';

/** The headers a client token travels in, and how the copy writes them (the shell expands the variable). */
const TOKEN_HEADERS: Record<string, string> = { authorization: 'Bearer $SWITCHBOARD_TOKEN', 'x-api-key': '$SWITCHBOARD_TOKEN' };
/** Other secrets (provider-style keys, cookies, the dashboard token): never copied, not needed here. */
const SECRET_HEADERS = /^(proxy-authorization|api-key|x-goog-api-key|cookie|x-switchboard-admin)$/i;
/** Set by curl itself, or only meaningful on the original connection. */
const SKIPPED_HEADERS = /^(host|content-length|connection|keep-alive|accept-encoding|transfer-encoding|upgrade|te|expect)$/i;

/** Single quotes: nothing inside is expanded by a POSIX shell (a ' becomes '\''). */
export function singleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Double quotes, so `$SWITCHBOARD_TOKEN` is expanded and nothing else is (" \ ` escaped). */
function doubleQuoteWithToken(text: string): string {
  return `"${text.replace(/["\\`]/g, '\\$&').replace(/\$(?!SWITCHBOARD_TOKEN\b)/g, '\\$')}"`;
}

/**
 * The request as a curl command for bash/zsh against this gateway: the captured body and headers
 * as the client sent them (the core already redacted secrets), with the client token taken from
 * $SWITCHBOARD_TOKEN at run time. A redacted token is never pasted back in, even masked.
 */
export function toCurl(detail: Pick<HistoryDetail, 'endpoint' | 'requestHeaders' | 'bodies' | 'stream'>, origin: string): string {
  const parts = [`curl${detail.stream ? ' -N' : ''} ${singleQuote(`${origin}${detail.endpoint}`)}`];
  let usesToken = false;
  for (const [rawName, value] of Object.entries(detail.requestHeaders ?? {})) {
    const name = rawName.toLowerCase();
    if (SKIPPED_HEADERS.test(name) || SECRET_HEADERS.test(name)) continue;
    const tokenForm = TOKEN_HEADERS[name];
    if (tokenForm) {
      usesToken = true;
      parts.push(`-H ${doubleQuoteWithToken(`${name}: ${tokenForm}`)}`);
    } else {
      parts.push(`-H ${singleQuote(`${name}: ${value}`)}`);
    }
  }
  const body = detail.bodies?.clientRequest;
  if (body) {
    if (!detail.requestHeaders?.['content-type']) parts.push(`-H ${singleQuote('content-type: application/json')}`);
    parts.push(`--data-raw ${singleQuote(body)}`);
  }
  const command = parts.join(' \\\n  ');
  return usesToken ? `# Needs a client token: export SWITCHBOARD_TOKEN=sb-…\n${command}` : command;
}

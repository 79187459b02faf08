import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';

/** Headers whose values are secrets or that curl sets itself. */
const SECRET_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie|set-cookie|x-switchboard-admin)$/i;
const SKIPPED_HEADERS = /^(host|content-length|connection|accept-encoding|transfer-encoding)$/i;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The request as a curl command against this gateway. Secret headers are replaced by a
 * placeholder even though the core already redacts them: a copy must never carry a key.
 */
export function toCurl(detail: Pick<HistoryDetail, 'endpoint' | 'requestHeaders' | 'bodies'>, origin: string): string {
  const parts = [`curl ${shellQuote(`${origin}${detail.endpoint}`)}`];
  for (const [name, value] of Object.entries(detail.requestHeaders ?? {})) {
    if (SKIPPED_HEADERS.test(name)) continue;
    const shown = SECRET_HEADERS.test(name) ? (name.toLowerCase() === 'authorization' ? 'Bearer $SWITCHBOARD_TOKEN' : '$SWITCHBOARD_TOKEN') : value;
    parts.push(`-H ${shellQuote(`${name}: ${shown}`)}`);
  }
  const body = detail.bodies?.clientRequest;
  if (body) parts.push(`--data-raw ${shellQuote(body)}`);
  return parts.join(' \\\n  ');
}

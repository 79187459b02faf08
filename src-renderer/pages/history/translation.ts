/**
 * The translation view's pure part: how each captured leg is shown (JSON pretty-printed, stream
 * text as it came) and whether a leg is the same as the client's side of it, or which top-level
 * fields Switchboard changed (a same-dialect request usually differs only in `model`).
 */
import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';

export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function prettyBody(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const parsed = parseJson(text);
  // Stream transcripts (SSE, NDJSON) and other text are shown as they are.
  return parsed === undefined ? text : JSON.stringify(parsed, null, 2);
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** How a leg compares with the client's side: the same, a few changed top-level fields, or translated. */
export type Comparison = { kind: 'same' } | { kind: 'changed'; fields: string[] } | { kind: 'different' };

export function compareLegs(client: string | null | undefined, other: string | null | undefined): Comparison {
  if (client == null || other == null) return { kind: 'different' };
  if (client === other) return { kind: 'same' };
  const a = parseJson(client);
  const b = parseJson(other);
  if (!isObject(a) || !isObject(b)) return { kind: 'different' };
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const fields = [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
  if (fields.length === 0) return { kind: 'same' };
  // More than a few changed fields is a translation, not an edit worth listing.
  return fields.length <= 3 && fields.length * 2 <= keys.size ? { kind: 'changed', fields } : { kind: 'different' };
}

export interface Leg {
  key: 'client-request' | 'upstream-request' | 'upstream-response' | 'client-response';
  title: string;
  body: string | null;
  headers: Record<string, string> | null;
  /** A status line shown above the body (the provider's status). */
  status: number | null;
  comparison: Comparison | null;
}

/** The four legs of a captured request, in reading order: client → upstream → provider → client. */
export function legsOf(detail: HistoryDetail): Leg[] | null {
  const bodies = detail.bodies;
  if (!bodies) return null;
  const upstream = bodies.upstream ?? null;
  return [
    { key: 'client-request', title: 'Client sent', body: bodies.clientRequest, headers: detail.requestHeaders, status: null, comparison: null },
    { key: 'upstream-request', title: 'Sent upstream', body: bodies.upstreamRequest, headers: upstream?.requestHeaders ?? null, status: null, comparison: bodies.upstreamRequest ? compareLegs(bodies.clientRequest, bodies.upstreamRequest) : null },
    { key: 'upstream-response', title: 'Provider answered', body: bodies.upstreamResponse ?? null, headers: upstream?.responseHeaders ?? null, status: upstream?.status ?? null, comparison: null },
    { key: 'client-response', title: 'Client got', body: bodies.response, headers: bodies.responseHeaders ?? null, status: detail.status, comparison: bodies.upstreamResponse ? compareLegs(bodies.upstreamResponse, bodies.response) : null },
  ];
}

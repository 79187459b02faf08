import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';

/** Gemini names the model in the path (history keeps it as `/v1beta/models/{model}:method`); every other front door in the body's `model`. */
const GEMINI_MODEL_PATH = /^(\/v1(?:beta)?\/models\/)([^/:]+)(:.+)$/;

/** The captured request as editable text, or null when there is none to replay (not captured, not JSON). */
export function replayableBody(detail: HistoryDetail): string | null {
  const text = detail.bodies?.clientRequest;
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? JSON.stringify(parsed, null, 2) : null;
  } catch {
    return null;
  }
}

export interface ReplayRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The request to send again: the same route, the (edited) body, and the alias chosen in place of
 * the model (empty = as sent). The client token goes where each front door reads it. Throws a
 * SyntaxError naming the problem when the edited text is not a JSON object.
 */
export function buildReplay(detail: HistoryDetail, origin: string, bodyText: string, alias: string, clientToken: string): ReplayRequest {
  const body: unknown = JSON.parse(bodyText);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SyntaxError('The body must be one JSON object');
  let path = detail.endpoint;
  const gemini = GEMINI_MODEL_PATH.exec(path);
  const edited: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (gemini) path = `${gemini[1]}${encodeURIComponent(alias || detail.requestedModel || '')}${gemini[3]}`;
  else if (alias) edited.model = alias;
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${clientToken}` };
  if (detail.dialect === 'anthropic') headers['anthropic-version'] = '2023-06-01';
  if (gemini) headers['x-goog-api-key'] = clientToken;
  return { url: `${origin}${path}`, headers, body: JSON.stringify(edited) };
}

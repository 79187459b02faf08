/**
 * Pieces of OpenAI's request shapes that more than one front door reads: the fields a client
 * must never pick (Chat and Responses), image parts (Chat and Responses) and the
 * `{"function": …}` tool (Chat and Ollama, whose tools have the same shape).
 */
import type { FunctionTool, ImagePart } from '../../canonical/types.ts';
import { isRecord, parseDataUrl, requireString } from '../validate.ts';

/** Never forwarded: a client must not pick the upstream URL or key (SSRF / key exfiltration). */
export const FORBIDDEN_FIELDS = new Set(['api_base', 'base_url', 'api_key', 'api_version', 'organization']);

export function parseImagePart(url: string, detail: string | undefined): ImagePart {
  const data = parseDataUrl(url);
  return {
    type: 'image',
    source: data ? { kind: 'base64', mediaType: data.mediaType, data: data.data } : { kind: 'url', url },
    ...(detail ? { detail } : {}),
  };
}

/** An OpenAI-shaped `{"function": {name, description, parameters, strict}}` (also Ollama's). */
export function parseFunctionTool(fn: Record<string, unknown>, path: string): FunctionTool {
  return {
    type: 'function',
    name: requireString(fn.name, `${path}.function.name`),
    ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
    parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
  };
}

/**
 * Responses tools and tool_choice → canonical, for upstreams reached through translation (the
 * Responses fast path forwards the client's tools untouched). See DESIGN.md for why hosted tools
 * that are merely offered are dropped instead of failing the request.
 *
 * - `function` tools are flat in Responses (`{type, name, parameters}`), nested in Chat.
 * - `custom` tools (free-form input, optionally a grammar; Codex's apply_patch) become a function
 *   with one string parameter `input` (docs/wire-formats.md, "Responses vs Chat"); calls come back as custom_tool_call.
 * - `namespace` tools group functions (Codex's `multi_agent_v1`): each inner tool becomes a
 *   function named `<namespace>__<name>`; calls go back with `namespace` set.
 */
import type { FunctionTool, ToolChoice, ToolDefinition } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { asArray, fieldError, isRecord, mustBe, requireString } from '../../wire/validate.ts';

/** How the client knows a canonical function name that is not a plain function. */
export interface ClientToolName {
  name: string;
  namespace?: string;
  custom: boolean;
}

export interface ParsedTools {
  tools: ToolDefinition[];
  /** Only tools whose canonical name or kind differs from the client's (custom, namespaced). */
  naming: Map<string, ClientToolName>;
  /** Types of hosted tools left out (web_search, file_search, …). */
  dropped: string[];
}

export const NAMESPACE_SEPARATOR = '__';

export function canonicalToolName(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}${NAMESPACE_SEPARATOR}${name}` : name;
}

function customAsFunction(tool: Record<string, unknown>, name: string): FunctionTool {
  const format = isRecord(tool.format) ? tool.format : null;
  const grammar = format?.type === 'grammar' && typeof format.definition === 'string'
    ? `\n\nThe input must follow this ${typeof format.syntax === 'string' ? format.syntax : ''} grammar:\n${format.definition}`
    : '';
  return {
    type: 'function',
    name,
    description: `${typeof tool.description === 'string' ? tool.description : ''}${grammar}`.trim() || undefined,
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: 'The raw input of the tool, exactly as the tool expects it.' } },
      required: ['input'],
      additionalProperties: false,
    },
  };
}

function addTool(raw: unknown, path: string, namespace: string | undefined, out: ParsedTools): void {
  if (!isRecord(raw)) throw fieldError(mustBe(path, 'an object', raw, `Send each entry of "tools" as a JSON object ({"type": "function", "name": …, "parameters": {…}})`));
  if (raw.type === 'function') {
    const name = requireString(raw.name, `${path}.name`);
    const canonical = canonicalToolName(name, namespace);
    if (namespace) out.naming.set(canonical, { name, namespace, custom: false });
    out.tools.push({
      type: 'function',
      name: canonical,
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      parameters: isRecord(raw.parameters) ? raw.parameters : { type: 'object', properties: {} },
      ...(typeof raw.strict === 'boolean' ? { strict: raw.strict } : {}),
    });
  } else if (raw.type === 'custom') {
    const name = requireString(raw.name, `${path}.name`);
    const canonical = canonicalToolName(name, namespace);
    out.naming.set(canonical, { name, ...(namespace ? { namespace } : {}), custom: true });
    out.tools.push(customAsFunction(raw, canonical));
  } else if (raw.type === 'namespace' && !namespace) {
    const name = requireString(raw.name, `${path}.name`);
    asArray(raw.tools ?? [], `${path}.tools`).forEach((inner, index) => addTool(inner, `${path}.tools[${index}]`, name, out));
  } else {
    out.dropped.push(typeof raw.type === 'string' ? raw.type : 'unknown');
  }
}

export function parseResponsesTools(raw: unknown): ParsedTools {
  const out: ParsedTools = { tools: [], naming: new Map(), dropped: [] };
  if (raw === undefined || raw === null) return out;
  asArray(raw, 'tools').forEach((tool, index) => addTool(tool, `tools[${index}]`, undefined, out));
  return out;
}

export function parseResponsesToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { type: raw };
  if (isRecord(raw)) {
    if ((raw.type === 'function' || raw.type === 'custom') && typeof raw.name === 'string') {
      return { type: 'tool', name: canonicalToolName(raw.name, typeof raw.namespace === 'string' ? raw.namespace : undefined) };
    }
    // allowed_tools narrows the offered set; the mode is what upstreams without it can honour.
    if (raw.type === 'allowed_tools') return { type: raw.mode === 'required' ? 'required' : 'auto' };
    if (typeof raw.type === 'string') {
      throw new GatewayError('unsupported_feature', `tool_choice forces the hosted tool "${raw.type}", which only OpenAI's Responses API runs; this model is reached through translation`, { param: 'tool_choice' });
    }
  }
  throw fieldError({ ...mustBe('tool_choice', '"auto", "none", "required" or {"type":"function","name":…}', raw, 'Send "tool_choice" as "auto", "none" or "required", or as {"type": "function", "name": …} naming one of the tools'), optional: true });
}

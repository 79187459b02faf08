/**
 * Anthropic Messages request → canonical request. `role: "system"` entries inside `messages`
 * (Claude Code sends them; API version 2026-10-21 allows them) are hoisted into the system
 * prompt in order; server tools become native tools that only an Anthropic upstream takes;
 * fields with no canonical slot survive in `extra.anthropic`.
 */
import type { ChatRequest, Message, ReasoningConfig, ResponseFormat, TextPart, ToolChoice, ToolDefinition } from '../../canonical/types.ts';
import { absentOr, asArray, fieldError, isRecord, mustBe, optionalNumber, requireString } from '../../wire/validate.ts';
import { parseAssistantContent, parseSystemContent, parseUserContent } from './parse-content.ts';

const KNOWN_FIELDS = new Set([
  'model', 'messages', 'system', 'max_tokens', 'stop_sequences', 'stream', 'temperature', 'top_p', 'top_k', 'tools', 'tool_choice',
  'thinking', 'metadata', 'output_config',
]);
const EFFORTS = new Set(['minimal', 'low', 'medium', 'high', 'max']);

function parseMessages(raw: unknown, system: TextPart[]): Message[] {
  const messages: Message[] = [];
  asArray(raw, 'messages').forEach((entry, index) => {
    const path = `messages[${index}]`;
    if (!isRecord(entry)) throw fieldError(mustBe(path, 'an object', entry, 'Send each entry of "messages" as a JSON object ({"role": "user", "content": …})'));
    switch (entry.role) {
      case 'system':
        system.push(...parseSystemContent(entry.content, `${path}.content`));
        return;
      case 'user':
        messages.push(...parseUserContent(entry.content, `${path}.content`));
        return;
      case 'assistant':
        messages.push({ role: 'assistant', content: parseAssistantContent(entry.content, `${path}.content`) });
        return;
      default:
        throw fieldError(absentOr(`${path}.role`, '"user" or "assistant"', entry.role, `Send "user" or "assistant" in "${path}.role" (the system prompt goes in the top-level "system" field)`));
    }
  });
  return messages;
}

function parseTools(raw: unknown): ToolDefinition[] {
  return asArray(raw, 'tools').map((tool, index): ToolDefinition => {
    const path = `tools[${index}]`;
    if (!isRecord(tool)) throw fieldError(mustBe(path, 'an object', tool, 'Send each entry of "tools" as a JSON object ({"name": …, "input_schema": {…}})'));
    // Custom tools have no type (or "custom"); anything else is a server / versioned tool
    // (web_search_20250305, bash_20250124, text_editor_…) that only Anthropic runs.
    if (tool.type !== undefined && tool.type !== 'custom') return { type: 'native', dialect: 'anthropic', name: typeof tool.name === 'string' ? tool.name : String(tool.type), raw: tool };
    return {
      type: 'function',
      name: requireString(tool.name, `${path}.name`),
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: isRecord(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} },
      ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
    };
  });
}

function parseToolChoice(raw: unknown): { choice?: ToolChoice; parallel?: boolean } {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw fieldError({ ...mustBe('tool_choice', 'an object', raw, 'Send "tool_choice" as a JSON object such as {"type": "auto"} or {"type": "tool", "name": …}'), optional: true });
  const parallel = raw.disable_parallel_tool_use === true ? { parallel: false } : {};
  switch (raw.type) {
    case 'auto':
      return { choice: { type: 'auto' }, ...parallel };
    case 'any':
      return { choice: { type: 'required' }, ...parallel };
    case 'none':
      return { choice: { type: 'none' } };
    case 'tool':
      return { choice: { type: 'tool', name: requireString(raw.name, 'tool_choice.name') }, ...parallel };
    default:
      throw fieldError(mustBe('tool_choice.type', 'one of "auto", "any", "tool", "none"', raw.type, 'Send one of "auto", "any", "tool", "none" in "tool_choice.type"'));
  }
}

function parseThinking(raw: unknown, outputConfig: unknown): ReasoningConfig | undefined {
  const effort = isRecord(outputConfig) && typeof outputConfig.effort === 'string' && EFFORTS.has(outputConfig.effort) ? { effort: outputConfig.effort as ReasoningConfig['effort'] } : {};
  if (!isRecord(raw)) return Object.keys(effort).length > 0 ? effort : undefined;
  switch (raw.type) {
    case 'enabled':
      return { enabled: true, ...(typeof raw.budget_tokens === 'number' ? { budgetTokens: raw.budget_tokens } : {}), ...effort };
    case 'adaptive':
      return { enabled: true, adaptive: true, ...effort };
    case 'disabled':
      return { enabled: false };
    default:
      return Object.keys(effort).length > 0 ? effort : undefined;
  }
}

function parseResponseFormat(outputConfig: unknown): ResponseFormat | undefined {
  if (!isRecord(outputConfig) || !isRecord(outputConfig.format)) return undefined;
  const format = outputConfig.format;
  return format.type === 'json_schema' && isRecord(format.schema) ? { type: 'json_schema', schema: format.schema } : undefined;
}

export function parseAnthropicRequest(body: Record<string, unknown>): ChatRequest {
  const system = parseSystemContent(body.system, 'system');
  const messages = parseMessages(body.messages, system);
  const { choice, parallel } = parseToolChoice(body.tool_choice);
  const stop = body.stop_sequences;
  const metadata = isRecord(body.metadata) ? body.metadata : undefined;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!KNOWN_FIELDS.has(key)) extra[key] = value;
  const reasoning = parseThinking(body.thinking, body.output_config);
  const responseFormat = parseResponseFormat(body.output_config);
  return {
    model: requireString(body.model, 'model'),
    system,
    messages,
    ...(body.tools !== undefined ? { tools: parseTools(body.tools) } : {}),
    ...(choice ? { toolChoice: choice } : {}),
    ...(parallel !== undefined ? { parallelToolCalls: parallel } : {}),
    maxTokens: optionalNumber(body.max_tokens, 'max_tokens'),
    temperature: optionalNumber(body.temperature, 'temperature'),
    topP: optionalNumber(body.top_p, 'top_p'),
    topK: optionalNumber(body.top_k, 'top_k'),
    ...(Array.isArray(stop) ? { stop: stop.filter((item): item is string => typeof item === 'string') } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    stream: body.stream === true,
    // metadata.user_id stays in `metadata` and is not made the OpenAI `user`: Claude Code puts
    // its device and session ids there, which other providers have no business receiving.
    ...(metadata ? { metadata } : {}),
    extra: Object.keys(extra).length > 0 ? { anthropic: extra } : {},
  };
}

/**
 * Ollama /api/chat request → canonical request.
 *
 * Ollama quirks (docs/wire-formats.md, "Ollama", "Tool-call arguments", "Call ids"): tool-call arguments are objects (kept as JSON
 * text canonically); tool calls often carry no id, so stable ids `call_<n>` (n counts the calls
 * of the conversation) are made up, the same for the same history on every turn; tool results
 * name their call by `tool_call_id` when the client has one, else by `tool_name`, else by
 * order, and get the tool's name from the call they answer. System messages are hoisted.
 */
import { stringifyArguments } from '../../canonical/json-args.ts';
import type { AssistantPart, ChatRequest, Message, TextPart, ToolDefinition, UserPart } from '../../canonical/types.ts';
import { absentOr, asArray, fieldError, isRecord, missingFunction, mustBe, requireString } from '../../wire/validate.ts';
import { parseFormat, parseImages, parseOptions, parseThink, wantsStream } from './request-fields.ts';
import { parseFunctionTool } from '../../wire/openai/chat-fields.ts';

interface PendingCall {
  id: string;
  name: string;
}

const ROLES = 'one of "system", "user", "assistant", "tool"';

function contentText(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  throw fieldError({ ...mustBe(path, 'a string', value), optional: true });
}

function parseMessages(raw: unknown): { system: TextPart[]; messages: Message[] } {
  const system: TextPart[] = [];
  const messages: Message[] = [];
  const names = new Map<string, string>();
  let pending: PendingCall[] = [];
  let callCount = 0;

  asArray(raw ?? [], 'messages').forEach((entry, index) => {
    const path = `messages[${index}]`;
    if (!isRecord(entry)) throw fieldError(mustBe(path, 'an object', entry, `Send each entry of "messages" as a JSON object ({"role": …, "content": …})`));
    const role = typeof entry.role === 'string' ? entry.role.toLowerCase() : '';
    const text = contentText(entry.content, `${path}.content`);
    switch (role) {
      case 'system':
        system.push({ type: 'text', text });
        return;
      case 'user': {
        const content: UserPart[] = [];
        if (text !== '') content.push({ type: 'text', text });
        content.push(...parseImages(entry.images, `${path}.images`));
        messages.push({ role: 'user', content: content.length > 0 ? content : [{ type: 'text', text: '' }] });
        return;
      }
      case 'assistant': {
        const content: AssistantPart[] = [];
        if (typeof entry.thinking === 'string' && entry.thinking !== '') content.push({ type: 'thinking', text: entry.thinking });
        if (text !== '') content.push({ type: 'text', text });
        pending = [];
        for (const [callIndex, call] of asArray(entry.tool_calls ?? [], `${path}.tool_calls`).entries()) {
          const where = `${path}.tool_calls[${callIndex}]`;
          if (!isRecord(call) || !isRecord(call.function)) throw fieldError(missingFunction(where, call));
          const id = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${callCount}`;
          callCount++;
          const name = requireString(call.function.name, `${where}.function.name`);
          names.set(id, name);
          pending.push({ id, name });
          content.push({ type: 'tool_call', id, name, arguments: stringifyArguments(call.function.arguments ?? {}) });
        }
        messages.push({ role: 'assistant', content });
        return;
      }
      case 'tool': {
        const toolName = typeof entry.tool_name === 'string' && entry.tool_name !== '' ? entry.tool_name : typeof entry.name === 'string' ? entry.name : undefined;
        let id = typeof entry.tool_call_id === 'string' && entry.tool_call_id !== '' ? entry.tool_call_id : undefined;
        let match: number;
        if (id !== undefined) match = pending.findIndex((call) => call.id === id);
        else {
          // No id: the unanswered call with this tool's name, else the oldest unanswered one.
          match = toolName !== undefined ? pending.findIndex((call) => call.name === toolName) : -1;
          if (match === -1 && pending.length > 0) match = 0;
          id = match >= 0 ? pending[match]!.id : `call_${callCount++}`;
        }
        if (match >= 0) pending.splice(match, 1);
        const name = toolName ?? names.get(id);
        const images = parseImages(entry.images, `${path}.images`);
        messages.push({
          role: 'tool',
          content: [{ type: 'tool_result', toolCallId: id, ...(name ? { name } : {}), content: [{ type: 'text', text }, ...images] }],
        });
        return;
      }
      default:
        throw fieldError(absentOr(`${path}.role`, ROLES, entry.role, `Send one of ${ROLES} in "${path}.role"`));
    }
  });
  return { system, messages };
}

export function parseTools(raw: unknown): ToolDefinition[] {
  return asArray(raw, 'tools').map((tool, index): ToolDefinition => {
    const path = `tools[${index}]`;
    if (!isRecord(tool) || !isRecord(tool.function)) throw fieldError(mustBe(path, '{"type":"function","function":{…}}', tool, `Send each entry of "tools" as {"type": "function", "function": {"name": …, "parameters": {…}}}`));
    return parseFunctionTool(tool.function, path);
  });
}

export function parseOllamaChatRequest(body: Record<string, unknown>): ChatRequest {
  const { system, messages } = parseMessages(body.messages);
  const { fields, rest } = parseOptions(body.options);
  const tools = body.tools !== undefined && body.tools !== null ? parseTools(body.tools) : undefined;
  const reasoning = parseThink(body.think);
  const responseFormat = parseFormat(body.format);
  return {
    model: requireString(body.model, 'model'),
    system,
    messages,
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...fields,
    ...(responseFormat ? { responseFormat } : {}),
    ...(reasoning ? { reasoning } : {}),
    stream: wantsStream(body),
    extra: rest ? { ollama: { options: rest } } : {},
  };
}

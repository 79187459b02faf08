/**
 * OpenAI Chat Completions request → canonical request. System and developer messages are
 * hoisted (in order) into the system prompt; consecutive tool messages stay separate tool
 * messages; fields with no canonical slot survive in `extra.openai`.
 */
import type { AssistantPart, ChatRequest, Message, ResponseFormat, TextPart, ToolChoice, ToolDefinition, UserPart } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { FORBIDDEN_FIELDS, parseFunctionTool, parseImagePart } from '../../wire/openai/chat-fields.ts';
import { asArray, fieldError, isRecord, missingFunction, mustBe, optionalNumber, parseDataUrl, requireString } from '../../wire/validate.ts';

/** Fields read into canonical slots; everything else goes to extra.openai. */
const KNOWN_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_tokens', 'max_completion_tokens',
  'temperature', 'top_p', 'stop', 'seed', 'frequency_penalty', 'presence_penalty', 'response_format', 'reasoning_effort', 'user',
  'metadata', 'functions', 'function_call', 'top_k',
]);

function textOf(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return asArray(content, path)
    .map((part, index) => (isRecord(part) && typeof part.text === 'string' ? part.text : (() => { throw fieldError(mustBe(`${path}[${index}]`, 'a text part', part, `Send each entry of "${path}" as a text part ({"type": "text", "text": …})`)); })()))
    .join('');
}

function userParts(content: unknown, path: string): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return asArray(content, path).map((raw, index): UserPart => {
    const where = `${path}[${index}]`;
    if (!isRecord(raw)) throw fieldError(mustBe(where, 'a content part object', raw, `Send each entry of "${path}" as a content part object ({"type": "text", "text": …})`));
    if (raw.type === 'text') return { type: 'text', text: requireString(raw.text, `${where}.text`) };
    if (raw.type === 'image_url') {
      const image = raw.image_url;
      const url = typeof image === 'string' ? image : isRecord(image) ? requireString(image.url, `${where}.image_url.url`) : '';
      return parseImagePart(url, isRecord(image) && typeof image.detail === 'string' ? image.detail : undefined);
    }
    if (raw.type === 'file' && isRecord(raw.file) && typeof raw.file.file_data === 'string') {
      const data = parseDataUrl(raw.file.file_data);
      if (data) return { type: 'document', source: { kind: 'base64', mediaType: data.mediaType, data: data.data }, title: typeof raw.file.filename === 'string' ? raw.file.filename : undefined };
    }
    throw new GatewayError('unsupported_feature', `${where}: content parts of type "${String(raw.type)}" are not supported`, { param: where });
  });
}

function parseMessages(raw: unknown): { system: TextPart[]; messages: Message[] } {
  const system: TextPart[] = [];
  const messages: Message[] = [];
  asArray(raw, 'messages').forEach((entry, index) => {
    const path = `messages[${index}]`;
    if (!isRecord(entry)) throw fieldError(mustBe(path, 'an object', entry, 'Send each entry of "messages" as a JSON object ({"role": …, "content": …})'));
    switch (entry.role) {
      case 'system':
      case 'developer':
        system.push({ type: 'text', text: textOf(entry.content, `${path}.content`) });
        return;
      case 'user':
        messages.push({ role: 'user', content: userParts(entry.content, `${path}.content`) });
        return;
      case 'assistant': {
        const content: AssistantPart[] = [];
        const reasoning = entry.reasoning_content ?? entry.reasoning;
        if (typeof reasoning === 'string' && reasoning) content.push({ type: 'thinking', text: reasoning });
        const text = textOf(entry.content, `${path}.content`);
        if (text) content.push({ type: 'text', text });
        for (const [callIndex, call] of asArray(entry.tool_calls ?? [], `${path}.tool_calls`).entries()) {
          const where = `${path}.tool_calls[${callIndex}]`;
          if (!isRecord(call) || !isRecord(call.function)) throw fieldError(missingFunction(where, call));
          const args = call.function.arguments;
          content.push({
            type: 'tool_call',
            id: typeof call.id === 'string' ? call.id : `call_${index}_${callIndex}`,
            name: requireString(call.function.name, `${where}.function.name`),
            arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
          });
        }
        if (isRecord(entry.function_call)) {
          content.push({ type: 'tool_call', id: `call_${index}`, name: requireString(entry.function_call.name, `${path}.function_call.name`), arguments: String(entry.function_call.arguments ?? '{}') });
        }
        messages.push({ role: 'assistant', content });
        return;
      }
      case 'tool':
      case 'function': {
        const toolCallId = entry.role === 'tool' ? requireString(entry.tool_call_id, `${path}.tool_call_id`) : `call_${index - 1}`;
        messages.push({
          role: 'tool',
          content: [{ type: 'tool_result', toolCallId, ...(typeof entry.name === 'string' ? { name: entry.name } : {}), content: [{ type: 'text', text: textOf(entry.content, `${path}.content`) }] }],
        });
        return;
      }
      default:
        throw fieldError(mustBe(`${path}.role`, 'one of "system", "developer", "user", "assistant", "tool"', entry.role, `Send one of "system", "developer", "user", "assistant", "tool" in "${path}.role"`));
    }
  });
  return { system, messages };
}

function parseTools(raw: unknown): ToolDefinition[] {
  return asArray(raw, 'tools').map((tool, index): ToolDefinition => {
    const path = `tools[${index}]`;
    if (isRecord(tool) && tool.type === 'function' && isRecord(tool.function)) return parseFunctionTool(tool.function, path);
    return { type: 'native', dialect: 'openai', name: isRecord(tool) && typeof tool.type === 'string' ? tool.type : undefined, raw: tool };
  });
}

function parseToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { type: raw };
  if (isRecord(raw) && isRecord(raw.function) && typeof raw.function.name === 'string') return { type: 'tool', name: raw.function.name };
  throw fieldError({ ...mustBe('tool_choice', '"auto", "none", "required" or {"type":"function","function":{"name":…}}', raw, 'Send "tool_choice" as "auto", "none" or "required", or as {"type": "function", "function": {"name": …}} naming one of the tools'), optional: true });
}

function parseResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'json_object') return { type: 'json' };
  if (raw.type === 'json_schema' && isRecord(raw.json_schema)) {
    const schema = raw.json_schema;
    return {
      type: 'json_schema',
      ...(typeof schema.name === 'string' ? { name: schema.name } : {}),
      schema: isRecord(schema.schema) ? schema.schema : {},
      ...(typeof schema.strict === 'boolean' ? { strict: schema.strict } : {}),
    };
  }
  return { type: 'text' };
}

export function parseOpenAiChatRequest(body: Record<string, unknown>): ChatRequest {
  const { system, messages } = parseMessages(body.messages);
  const stop = body.stop;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!KNOWN_FIELDS.has(key) && !FORBIDDEN_FIELDS.has(key)) extra[key] = value;
  const tools = body.tools !== undefined ? parseTools(body.tools) : body.functions !== undefined
    ? parseTools(asArray(body.functions, 'functions').map((fn) => ({ type: 'function', function: fn })))
    : undefined;
  const effort = body.reasoning_effort;
  return {
    model: requireString(body.model, 'model'),
    system,
    messages,
    ...(tools ? { tools } : {}),
    ...(body.tool_choice !== undefined ? { toolChoice: parseToolChoice(body.tool_choice) } : {}),
    ...(typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    maxTokens: optionalNumber(body.max_completion_tokens ?? body.max_tokens, 'max_tokens'),
    temperature: optionalNumber(body.temperature, 'temperature'),
    topP: optionalNumber(body.top_p, 'top_p'),
    topK: optionalNumber(body.top_k, 'top_k'),
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string') : undefined,
    seed: optionalNumber(body.seed, 'seed'),
    frequencyPenalty: optionalNumber(body.frequency_penalty, 'frequency_penalty'),
    presencePenalty: optionalNumber(body.presence_penalty, 'presence_penalty'),
    responseFormat: parseResponseFormat(body.response_format),
    ...(typeof effort === 'string' ? { reasoning: { effort: effort as NonNullable<ChatRequest['reasoning']>['effort'] } } : {}),
    stream: body.stream === true,
    ...(typeof body.user === 'string' ? { user: body.user } : {}),
    ...(isRecord(body.metadata) ? { metadata: body.metadata } : {}),
    extra: Object.keys(extra).length > 0 ? { openai: extra } : {},
  };
}

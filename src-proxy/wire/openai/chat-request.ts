/**
 * Canonical chat request → OpenAI Chat Completions body (for OpenAI-compatible upstreams when
 * the client speaks another dialect).
 */
import type { ChatRequest, ImagePart, Message, TextPart, ToolDefinition } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { applyOverrides } from '../../canonical/apply-overrides.ts';
import type { ResolvedTarget } from '../../providers/types.ts';
import { withFields } from '../with-fields.ts';

type OpenAiContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

function imageUrl(part: ImagePart): string {
  return part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
}

function contentParts(parts: Array<TextPart | ImagePart>): string | OpenAiContentPart[] {
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => (part as TextPart).text).join('');
  return parts.map((part) =>
    part.type === 'text'
      ? { type: 'text' as const, text: part.text }
      : { type: 'image_url' as const, image_url: { url: imageUrl(part), ...(part.detail ? { detail: part.detail } : {}) } },
  );
}

function convertMessage(message: Message): Array<Record<string, unknown>> {
  switch (message.role) {
    case 'user': {
      const parts = message.content.flatMap((part): Array<TextPart | ImagePart> => {
        if (part.type !== 'document') return [part];
        if (part.source.kind === 'text') return [{ type: 'text', text: part.source.text }];
        throw new GatewayError('unsupported_feature', 'OpenAI-compatible chat cannot take document attachments; send the text instead', { param: 'messages' });
      });
      return [{ role: 'user', content: contentParts(parts) }];
    }
    case 'assistant': {
      const text = message.content.filter((part) => part.type === 'text').map((part) => part.text).join('');
      const reasoning = message.content.filter((part) => part.type === 'thinking').map((part) => part.text).join('');
      const toolCalls = message.content
        .filter((part) => part.type === 'tool_call')
        .map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments || '{}' } }));
      return [
        {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
      ];
    }
    case 'tool':
      return message.content.map((result) => ({
        role: 'tool',
        tool_call_id: result.toolCallId,
        // OpenAI tool results are text only; images are described by their presence.
        content: result.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(''),
      }));
  }
}

function convertTools(tools: ToolDefinition[]): Array<Record<string, unknown>> {
  return tools.map((tool) => {
    if (tool.type === 'function') {
      return {
        type: 'function',
        function: {
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          parameters: tool.parameters,
          ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
        },
      };
    }
    if (tool.dialect === 'openai') return tool.raw as Record<string, unknown>;
    throw new GatewayError('unsupported_feature', `The tool "${tool.name ?? 'unnamed'}" is specific to ${tool.dialect} and this provider is OpenAI-compatible`, {
      param: 'tools',
    });
  });
}

/**
 * Asks an OpenAI-style streamed body for the usage chunk (the history's token counts; the dialect
 * strips that chunk again when the client did not ask for it), keeping the client's other stream
 * options. Written without `{ ...options, include_usage }` (wire/with-fields.ts).
 */
export function askForStreamUsage(body: Record<string, unknown>): void {
  const options = body.stream_options as Record<string, unknown> | null | undefined;
  if (options === undefined || options === null) body.stream_options = { include_usage: true };
  else if (options.include_usage !== true) body.stream_options = withFields(options, { include_usage: true });
}

export function buildOpenAiChatBody(request: ChatRequest, target: ResolvedTarget, note?: (text: string) => void): Record<string, unknown> {
  const effective = applyOverrides(request, target.overrides, target.metadata, note);
  const messages: Array<Record<string, unknown>> = [];
  if (effective.system.length > 0) messages.push({ role: 'system', content: effective.system.map((part) => part.text).join('\n\n') });
  for (const message of effective.messages) messages.push(...convertMessage(message));

  const body: Record<string, unknown> = { model: target.model, messages };
  if (effective.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (effective.tools && effective.tools.length > 0) body.tools = convertTools(effective.tools);
  if (effective.toolChoice) {
    const choice = effective.toolChoice;
    body.tool_choice = choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
  }
  if (effective.parallelToolCalls !== undefined && body.tools) body.parallel_tool_calls = effective.parallelToolCalls;
  if (effective.maxTokens !== undefined) body.max_tokens = effective.maxTokens;
  if (effective.temperature !== undefined) body.temperature = effective.temperature;
  if (effective.topP !== undefined) body.top_p = effective.topP;
  if (effective.stop && effective.stop.length > 0) body.stop = effective.stop;
  if (effective.seed !== undefined) body.seed = effective.seed;
  if (effective.frequencyPenalty !== undefined) body.frequency_penalty = effective.frequencyPenalty;
  if (effective.presencePenalty !== undefined) body.presence_penalty = effective.presencePenalty;
  if (effective.user) body.user = effective.user;
  const format = effective.responseFormat;
  if (format?.type === 'json') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: format.name ?? 'response', schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}) },
    };
  }
  const effort = effective.reasoning?.effort;
  if (effort && effective.reasoning?.enabled !== false) body.reasoning_effort = effort === 'max' ? 'high' : effort;
  // Fields only an OpenAI-family client could have sent survive unchanged.
  Object.assign(body, effective.extra.openai ?? {});
  return body;
}

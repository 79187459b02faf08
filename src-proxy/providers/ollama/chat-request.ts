/**
 * Canonical chat request → Ollama /api/chat body (when the client speaks another dialect).
 *
 * Ollama quirks handled here (docs/wire-formats.md, "Ollama", "Ollama as upstream"):
 * - `content` is one string; images go in a separate `images` array as raw base64 (no data-URL
 *   prefix, no URLs).
 * - Tool-call arguments are objects, not JSON text; tool results are `role: "tool"` messages
 *   that carry `tool_name` (recovered from the call when the client did not send it).
 * - `options.num_ctx` is always sent: without it Ollama silently drops the start of a history
 *   longer than its default context (truncate defaults to true).
 * - There is no tool_choice; `none` is honoured by not offering the tools.
 */
import { parseArguments } from '../../canonical/json-args.ts';
import type { ChatRequest, ImagePart, Message, ToolDefinition } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { FALLBACK_CONTEXT_WINDOW } from '../../domain/model-families.ts';
import { applyOverrides } from '../../canonical/apply-overrides.ts';
import type { ResolvedTarget } from '../types.ts';

type OllamaMessage = Record<string, unknown>;

function imageData(part: ImagePart): string {
  if (part.source.kind === 'base64') return part.source.data;
  throw new GatewayError('unsupported_feature', 'Ollama takes images only as base64 data; send the image inline (a data: URL) instead of a link', { param: 'messages' });
}

function convertMessage(message: Message, names: Map<string, string>): OllamaMessage[] {
  switch (message.role) {
    case 'user': {
      let text = '';
      const images: string[] = [];
      for (const part of message.content) {
        if (part.type === 'text') text += part.text;
        else if (part.type === 'image') images.push(imageData(part));
        else if (part.source.kind === 'text') text += part.source.text;
        else throw new GatewayError('unsupported_feature', 'Ollama cannot take document attachments; send the text instead', { param: 'messages' });
      }
      return [{ role: 'user', content: text, ...(images.length > 0 ? { images } : {}) }];
    }
    case 'assistant': {
      let text = '';
      let thinking = '';
      const toolCalls: Array<Record<string, unknown>> = [];
      for (const part of message.content) {
        if (part.type === 'text') text += part.text;
        else if (part.type === 'thinking') thinking += part.text;
        else {
          names.set(part.id, part.name);
          toolCalls.push({ id: part.id, function: { index: toolCalls.length, name: part.name, arguments: parseArguments(part.arguments) } });
        }
      }
      return [{ role: 'assistant', content: text, ...(thinking ? { thinking } : {}), ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }];
    }
    case 'tool':
      return message.content.map((result) => {
        const images = result.content.filter((part): part is ImagePart => part.type === 'image').map(imageData);
        const name = result.name ?? names.get(result.toolCallId);
        return {
          role: 'tool',
          content: result.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
          ...(images.length > 0 ? { images } : {}),
          ...(name ? { tool_name: name } : {}),
          tool_call_id: result.toolCallId,
        };
      });
  }
}

function convertTools(tools: ToolDefinition[]): Array<Record<string, unknown>> {
  return tools.map((tool) => {
    if (tool.type === 'native') {
      throw new GatewayError('unsupported_feature', `The tool "${tool.name ?? 'unnamed'}" is specific to ${tool.dialect} and this provider is Ollama`, { param: 'tools' });
    }
    return { type: 'function', function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters } };
  });
}

/** `think`: false when disabled; true when asked for and the model can think; absent otherwise. */
function thinkField(request: ChatRequest, target: ResolvedTarget, note?: (text: string) => void): boolean | undefined {
  const reasoning = request.reasoning;
  if (!reasoning) return undefined;
  if (reasoning.enabled === false) return false;
  // Ollama answers 400 "does not support thinking" for models without the capability.
  const capabilities = target.metadata?.capabilities;
  if (capabilities && !capabilities.includes('thinking')) {
    note?.(`thinking left off: ${target.model} does not report the thinking capability`);
    return undefined;
  }
  return true;
}

export function buildOllamaChatBody(request: ChatRequest, target: ResolvedTarget, note?: (text: string) => void): Record<string, unknown> {
  const effective = applyOverrides(request, target.overrides, target.metadata, note);
  const names = new Map<string, string>();
  const messages: OllamaMessage[] = [];
  if (effective.system.length > 0) messages.push({ role: 'system', content: effective.system.map((part) => part.text).join('\n\n') });
  for (const message of effective.messages) messages.push(...convertMessage(message, names));

  const extra = effective.extra.ollama ?? {};
  const options: Record<string, unknown> = { ...(extra.options as Record<string, unknown> | undefined) };
  options.num_ctx = effective.contextWindow ?? target.metadata?.contextWindow ?? FALLBACK_CONTEXT_WINDOW;
  if (effective.maxTokens !== undefined) options.num_predict = effective.maxTokens;
  if (effective.temperature !== undefined) options.temperature = effective.temperature;
  if (effective.topP !== undefined) options.top_p = effective.topP;
  if (effective.topK !== undefined) options.top_k = effective.topK;
  if (effective.stop && effective.stop.length > 0) options.stop = effective.stop;
  if (effective.seed !== undefined) options.seed = effective.seed;
  if (effective.frequencyPenalty !== undefined) options.frequency_penalty = effective.frequencyPenalty;
  if (effective.presencePenalty !== undefined) options.presence_penalty = effective.presencePenalty;

  const body: Record<string, unknown> = { model: target.model, messages, stream: effective.stream, options };
  if (effective.tools && effective.tools.length > 0 && effective.toolChoice?.type !== 'none') body.tools = convertTools(effective.tools);
  const format = effective.responseFormat;
  if (format?.type === 'json') body.format = 'json';
  else if (format?.type === 'json_schema') body.format = format.schema;
  const think = thinkField(effective, target, note);
  if (think !== undefined) body.think = think;
  return body;
}

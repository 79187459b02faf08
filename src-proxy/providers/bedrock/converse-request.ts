/**
 * Canonical chat request → Bedrock Converse body (docs/wire-formats.md, "AWS Bedrock"). The
 * model is in the URL, not the body. Converse's own rules: roles strictly alternate (same-role
 * neighbours merged, tool results first in a user turn), blank text blocks are refused, images
 * and documents go as base64 `bytes`, tool results answer `toolUseId`s, and signed reasoning
 * (`reasoningContent`) comes back only to Bedrock. Model-specific knobs (top_k, Claude's
 * thinking) travel in `additionalModelRequestFields`.
 */
import { applyOverrides } from '../../canonical/apply-overrides.ts';
import { parseArguments } from '../../canonical/json-args.ts';
import { withRememberedThinking, type SignatureCache } from '../../canonical/signature-cache.ts';
import type { AssistantPart, ChatRequest, DocumentPart, ImagePart, TextPart, ThinkingPart, ToolChoice, ToolDefinition } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import type { ResolvedTarget } from '../types.ts';

type Block = Record<string, unknown>;
interface Turn {
  role: 'user' | 'assistant';
  content: Block[];
}

export const BEDROCK = 'bedrock';
const EFFORT_BUDGETS = { minimal: 0, low: 2048, medium: 8192, high: 16384, max: 32000 } as const;
const MIN_THINKING_BUDGET = 1024;
const FALLBACK_MAX_TOKENS = 8192;
const IMAGE_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };
const DOCUMENT_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf', 'text/plain': 'txt', 'text/markdown': 'md', 'text/html': 'html', 'text/csv': 'csv',
  'application/msword': 'doc', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

function textBlocks(part: TextPart): Block[] {
  if (part.text.trim() === '') return [];
  return part.cacheControl ? [{ text: part.text }, { cachePoint: { type: 'default' } }] : [{ text: part.text }];
}

function imageBlock(part: ImagePart): Block {
  if (part.source.kind !== 'base64') {
    throw new GatewayError('unsupported_feature', 'Bedrock takes images only inline: send the image as a data: URL (base64), not as a link', { param: 'messages' });
  }
  const format = IMAGE_FORMATS[part.source.mediaType.toLowerCase()];
  if (!format) throw new GatewayError('unsupported_feature', `Bedrock takes png, jpeg, gif or webp images, not ${part.source.mediaType}`, { param: 'messages' });
  return { image: { format, source: { bytes: part.source.data } } };
}

function documentBlock(part: DocumentPart, index: number): Block {
  // Converse allows letters, digits, spaces, hyphens, parentheses and brackets in a name.
  const name = (part.title ?? '').replace(/[^A-Za-z0-9 ()[\]-]/g, ' ').replace(/\s+/g, ' ').trim() || `document-${index + 1}`;
  if (part.source.kind === 'text') return { document: { format: 'txt', name, source: { bytes: Buffer.from(part.source.text).toString('base64') } } };
  if (part.source.kind !== 'base64') throw new GatewayError('unsupported_feature', 'Bedrock takes documents only inline (base64), not as a link', { param: 'messages' });
  const format = DOCUMENT_FORMATS[part.source.mediaType.toLowerCase()];
  if (!format) throw new GatewayError('unsupported_feature', `Bedrock does not take documents of type ${part.source.mediaType}`, { param: 'messages' });
  return { document: { format, name, source: { bytes: part.source.data } } };
}

function assistantBlocks(part: AssistantPart): Block[] {
  switch (part.type) {
    case 'text':
      return part.text.trim() === '' ? [] : [{ text: part.text }];
    case 'tool_call':
      return [{ toolUse: { toolUseId: part.id, name: part.name, input: parseArguments(part.arguments) } }];
    case 'thinking':
      // Another vendor's reasoning (or unsigned text) cannot be sent back as Bedrock reasoning.
      if (part.redacted?.provider === BEDROCK) return [{ reasoningContent: { redactedContent: part.redacted.value } }];
      if (part.signature?.provider === BEDROCK) return [{ reasoningContent: { reasoningText: { text: part.text, signature: part.signature.value } } }];
      return [];
  }
}

/** The turn already carries Bedrock's own signed (or redacted) reasoning. */
function isBedrockThinking(part: AssistantPart): boolean {
  return part.type === 'thinking' && (part.signature?.provider === BEDROCK || part.redacted?.provider === BEDROCK);
}

function turnOf(message: ChatRequest['messages'][number], signatures: SignatureCache<readonly ThinkingPart[]>): Turn | null {
  const content: Block[] = [];
  if (message.role === 'tool') {
    for (const part of message.content) {
      const result = part.content.flatMap((item) => (item.type === 'text' ? (item.text === '' ? [] : [{ text: item.text }]) : [imageBlock(item)]));
      content.push({ toolResult: { toolUseId: part.toolCallId, content: result.length > 0 ? result : [{ text: '' }], status: part.isError ? 'error' : 'success' } });
    }
  } else if (message.role === 'user') {
    message.content.forEach((part, index) => {
      if (part.type === 'text') content.push(...textBlocks(part));
      else if (part.type === 'image') content.push(imageBlock(part));
      else content.push(documentBlock(part, index));
    });
  } else {
    for (const part of withRememberedThinking(message.content, signatures, isBedrockThinking)) content.push(...assistantBlocks(part));
  }
  if (content.length === 0) return null;
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content };
}

export function buildTurns(messages: ChatRequest['messages'], signatures: SignatureCache<readonly ThinkingPart[]>): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const turn = turnOf(message, signatures);
    if (!turn) continue;
    const last = turns.at(-1);
    if (last?.role !== turn.role) {
      turns.push(turn);
      continue;
    }
    last.content.push(...turn.content);
    if (turn.role === 'user') last.content = [...last.content.filter((block) => 'toolResult' in block), ...last.content.filter((block) => !('toolResult' in block))];
  }
  return turns;
}

function toolConfigOf(tools: ToolDefinition[], choice: ToolChoice | undefined, note: (text: string) => void): Block {
  const specs = tools.map((tool) => {
    if (tool.type !== 'function') throw new GatewayError('unsupported_feature', `The tool "${tool.name ?? 'unnamed'}" is specific to ${tool.dialect} and this provider is Bedrock`, { param: 'tools' });
    const schema = tool.parameters.type === undefined ? { type: 'object', ...tool.parameters } : tool.parameters;
    return { toolSpec: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), inputSchema: { json: schema } } };
  });
  const config: Block = { tools: specs };
  if (choice?.type === 'required') config.toolChoice = { any: {} };
  else if (choice?.type === 'tool') config.toolChoice = { tool: { name: choice.name } };
  // Converse has no "none"; the tools stay (earlier toolUse blocks need them) and the choice is left to the model.
  else if (choice?.type === 'none') note('tool_choice "none" has no Bedrock equivalent: the model may still call a tool');
  return config;
}

export function isClaudeModel(model: string): boolean {
  return /(^|[.:/])anthropic\.claude/.test(model);
}

export function buildConverseBody(
  request: ChatRequest,
  target: ResolvedTarget,
  options: { signatures: SignatureCache<readonly ThinkingPart[]>; note?: (text: string) => void },
): Record<string, unknown> {
  const note = options.note ?? (() => {});
  const effective = applyOverrides(request, target.overrides, target.metadata, note);
  const body: Record<string, unknown> = { messages: buildTurns(effective.messages, options.signatures) };
  const system = effective.system.flatMap(textBlocks);
  if (system.length > 0) body.system = system;

  const claude = isClaudeModel(target.model);
  const extra: Record<string, unknown> = {};
  const reasoning = effective.reasoning;
  let budget = reasoning?.enabled === false ? 0 : (reasoning?.budgetTokens ?? (reasoning?.effort ? EFFORT_BUDGETS[reasoning.effort] : reasoning?.enabled ? EFFORT_BUDGETS.medium : 0));
  const maxTokens = effective.maxTokens ?? (budget > 0 && claude ? (target.metadata?.maxOutputTokens ?? FALLBACK_MAX_TOKENS) : undefined);
  if (budget > 0 && !claude) {
    note('reasoning is only sent to Claude models on Bedrock; left off for this model');
    budget = 0;
  }
  if (budget > 0 && maxTokens !== undefined) {
    budget = Math.min(Math.max(MIN_THINKING_BUDGET, budget), maxTokens - 1);
    if (budget < MIN_THINKING_BUDGET) note(`thinking left off: maxTokens ${maxTokens} leaves no room for the minimum budget of ${MIN_THINKING_BUDGET}`);
    else extra.thinking = { type: 'enabled', budget_tokens: budget };
  }
  const thinkingOn = extra.thinking !== undefined;

  const inference: Record<string, unknown> = {};
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  // Claude with thinking takes no temperature / top_k (as on Anthropic's own API).
  if (!thinkingOn && effective.temperature !== undefined) inference.temperature = claude ? Math.min(1, Math.max(0, effective.temperature)) : effective.temperature;
  if (!thinkingOn && effective.topP !== undefined && !(claude && effective.temperature !== undefined)) inference.topP = effective.topP;
  const stops = effective.stop?.filter((stop) => stop.trim() !== '');
  if (stops && stops.length > 0) inference.stopSequences = stops;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (effective.topK !== undefined && !thinkingOn) {
    if (claude) extra.top_k = effective.topK;
    else note('top_k is not sent: its name differs per model family on Bedrock');
  }
  if (Object.keys(extra).length > 0) body.additionalModelRequestFields = extra;

  if (effective.tools && effective.tools.length > 0) body.toolConfig = toolConfigOf(effective.tools, effective.toolChoice, note);
  if (effective.responseFormat && effective.responseFormat.type !== 'text') note('response_format is not sent: Converse has no JSON mode (ask for JSON in the prompt)');
  return body;
}

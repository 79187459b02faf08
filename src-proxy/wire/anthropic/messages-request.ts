/**
 * Canonical chat request → Anthropic Messages body, for clients of other dialects. Anthropic's
 * turn rules (docs/wire-formats.md, "Anthropic", "Parallel calls", "Anthropic turn rules", "Signed reasoning"): system prompts hoisted and merged into `system`; roles
 * strictly alternating (same-role neighbours merged); tool results of consecutive tool messages
 * grouped into one user turn, results first; `max_tokens` always present; temperature within
 * [0, 1]; signed thinking put back before the tool_use it preceded.
 */
import type { AssistantPart, ChatRequest, ReasoningConfig, ThinkingPart, ToolChoice, ToolDefinition } from '../../canonical/types.ts';
import { withRememberedThinking, type SignatureCache } from '../../canonical/signature-cache.ts';
import { GatewayError } from '../../errors/codes.ts';
import { applyOverrides } from '../../canonical/apply-overrides.ts';
import type { ResolvedTarget } from '../../providers/types.ts';
import { assistantBlock, documentBlock, imageBlock, isAnthropicThinking, textBlock, toolResultBlock, type AnthropicBlock } from './content-blocks.ts';

interface Turn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

/** Budget for an OpenAI-style effort when the client gave no budget. */
const EFFORT_BUDGETS = { minimal: 0, low: 2048, medium: 8192, high: 16384, max: 32000 } as const;
const MIN_THINKING_BUDGET = 1024;

/**
 * Thinking asked with neither budget nor effort (Ollama `think: true`, a Responses summary): half
 * the output limit, between Anthropic's minimum and the "medium" budget, so the answer keeps room.
 */
export function defaultThinkingBudget(maxTokens: number): number {
  return Math.min(EFFORT_BUDGETS.medium, Math.max(MIN_THINKING_BUDGET, Math.floor(maxTokens / 2)));
}

function blocksOf(message: ChatRequest['messages'][number], signatures: SignatureCache<readonly ThinkingPart[]>): Turn | null {
  const content: AnthropicBlock[] = [];
  if (message.role === 'tool') {
    for (const part of message.content) content.push(toolResultBlock(part));
    return { role: 'user', content };
  }
  if (message.role === 'user') {
    for (const part of message.content) {
      const block = part.type === 'text' ? textBlock(part) : part.type === 'image' ? imageBlock(part) : documentBlock(part);
      if (block) content.push(block);
    }
    return content.length > 0 ? { role: 'user', content } : null;
  }
  for (const part of withRememberedThinking(message.content, signatures, isAnthropicThinking)) {
    const block = assistantBlock(part);
    if (block) content.push(block);
  }
  return content.length > 0 ? { role: 'assistant', content } : null;
}

/** Same-role neighbours become one turn; in a user turn, tool results go first. */
export function buildTurns(messages: ChatRequest['messages'], signatures: SignatureCache<readonly ThinkingPart[]>): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const turn = blocksOf(message, signatures);
    if (!turn) continue;
    const last = turns.at(-1);
    if (last?.role !== turn.role) {
      turns.push(turn);
      continue;
    }
    last.content.push(...turn.content);
    if (turn.role === 'user') {
      last.content = [...last.content.filter((block) => block.type === 'tool_result'), ...last.content.filter((block) => block.type !== 'tool_result')];
    }
  }
  return turns;
}

function toolsOf(tools: ToolDefinition[]): AnthropicBlock[] {
  return tools.map((tool) => {
    if (tool.type === 'function') {
      // Anthropic requires an object schema; some clients send `{}` for "no parameters".
      const schema = tool.parameters.type === undefined ? { type: 'object', ...tool.parameters } : tool.parameters;
      return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), input_schema: schema };
    }
    if (tool.dialect === 'anthropic') return tool.raw as AnthropicBlock;
    throw new GatewayError('unsupported_feature', `The tool "${tool.name ?? 'unnamed'}" is specific to ${tool.dialect} and this provider is Anthropic`, { param: 'tools' });
  });
}

function toolChoiceOf(choice: ToolChoice | undefined, parallel: boolean | undefined): AnthropicBlock | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.type) {
    case undefined:
      return parallel === false ? { type: 'auto', ...noParallel } : undefined;
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
    default:
      return { type: 'auto', ...noParallel };
  }
}

function thinkingOf(reasoning: ReasoningConfig | undefined, maxTokens: number, note: (text: string) => void): AnthropicBlock | undefined {
  if (!reasoning) return undefined;
  if (reasoning.enabled === false) return { type: 'disabled' };
  if (reasoning.adaptive) return { type: 'adaptive' };
  let budget = reasoning.budgetTokens ?? (reasoning.effort ? EFFORT_BUDGETS[reasoning.effort] : undefined);
  if (budget === undefined) {
    if (reasoning.enabled !== true) return undefined;
    budget = defaultThinkingBudget(maxTokens);
    note(`thinking asked without a budget: budget_tokens ${budget} chosen`);
  }
  return budget > 0 ? { type: 'enabled', budget_tokens: Math.max(MIN_THINKING_BUDGET, budget) } : undefined;
}

/**
 * With thinking on, the assistant turn a tool result answers must start with its thinking block
 * (else Anthropic answers 400 "Expected `thinking` … but found `tool_use`"). When that block was
 * lost (another client dialect, a restart), thinking is left off for this turn instead.
 */
function toolLoopLacksThinking(turns: Turn[]): boolean {
  const last = turns.at(-1);
  const previous = turns.at(-2);
  if (last?.role !== 'user' || previous?.role !== 'assistant' || !last.content.some((block) => block.type === 'tool_result')) return false;
  const first = previous.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}

export function buildAnthropicBody(
  request: ChatRequest,
  target: ResolvedTarget,
  options: { signatures: SignatureCache<readonly ThinkingPart[]>; defaultMaxTokens: number; note?: (text: string) => void },
): Record<string, unknown> {
  const note = options.note ?? (() => {});
  const effective = applyOverrides(request, target.overrides, target.metadata, note);
  const turns = buildTurns(effective.messages, options.signatures);
  const body: Record<string, unknown> = { model: target.model, messages: turns };

  const system = effective.system.map(textBlock).filter((block): block is AnthropicBlock => block !== null);
  if (system.length > 0) body.system = system.some((block) => block.cache_control) ? system : system.map((block) => block.text).join('\n\n');

  const maxTokens = effective.maxTokens ?? options.defaultMaxTokens;
  let thinking = thinkingOf(effective.reasoning, maxTokens, note);
  if (thinking && thinking.type !== 'disabled' && toolLoopLacksThinking(turns)) {
    thinking = undefined;
    note('thinking left off for this turn: the tool call it answers lost its signed thinking');
  }
  if (thinking?.type === 'enabled') {
    // budget_tokens must stay below max_tokens (and at least 1024).
    const asked = thinking.budget_tokens as number;
    const budget = Math.min(asked, maxTokens - 1);
    if (budget < MIN_THINKING_BUDGET) {
      thinking = undefined;
      note(`thinking left off: max_tokens ${maxTokens} leaves no room for Anthropic's minimum budget of ${MIN_THINKING_BUDGET}`);
    } else {
      thinking.budget_tokens = budget;
      if (budget < asked) note(`thinking budget lowered from ${asked} to ${budget} to stay below max_tokens ${maxTokens}`);
    }
  }
  const thinkingOn = thinking !== undefined && thinking.type !== 'disabled';
  body.max_tokens = maxTokens;
  if (thinking) body.thinking = thinking;
  if (effective.stream) body.stream = true;

  // With thinking on, Anthropic accepts no temperature / top_k and only top_p ≥ 0.95; newer
  // models also reject temperature and top_p together, so temperature wins.
  if (!thinkingOn) {
    if (effective.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, effective.temperature));
    else if (effective.topP !== undefined) body.top_p = effective.topP;
    if (effective.topK !== undefined) body.top_k = effective.topK;
  }
  const stops = effective.stop?.filter((stop) => stop.trim() !== '');
  if (stops && stops.length > 0) body.stop_sequences = stops;

  if (effective.tools && effective.tools.length > 0) body.tools = toolsOf(effective.tools);
  const choice = body.tools ? toolChoiceOf(effective.toolChoice, effective.parallelToolCalls) : undefined;
  if (choice) body.tool_choice = choice;
  if (effective.user) body.metadata = { user_id: effective.user };
  if (effective.responseFormat?.type === 'json_schema') body.output_config = { format: { type: 'json_schema', schema: effective.responseFormat.schema } };
  // Fields only an Anthropic client could have sent (service_tier, container, …) survive unchanged.
  Object.assign(body, effective.extra.anthropic ?? {});
  return body;
}

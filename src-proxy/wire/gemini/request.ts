/**
 * Canonical chat request → Gemini `generateContent` body: systemInstruction, contents, function
 * declarations (JSON Schema via `parametersJsonSchema`, docs/wire-formats.md, "Tool schemas"), toolConfig and
 * generationConfig (sampling, stop sequences, JSON output, thinking).
 */
import type { ChatRequest, ReasoningConfig, ReasoningEffort, ToolChoice, ToolDefinition } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { buildGeminiContents, type ContentsContext } from './contents.ts';

/** Thinking budgets for an effort on models that take `thinkingBudget` (Gemini 2.5). */
const EFFORT_BUDGETS: Record<ReasoningEffort, number> = { minimal: 128, low: 1024, medium: 8192, high: 24576, max: 24576 };

function functionDeclarations(tools: readonly ToolDefinition[]): Array<Record<string, unknown>> {
  return tools.map((tool) => {
    if (tool.type !== 'function') {
      throw new GatewayError('unsupported_feature', `The tool "${tool.name ?? 'unnamed'}" is specific to ${tool.dialect} and Gemini cannot run it; send function tools only`, { param: 'tools' });
    }
    const hasSchema = Object.keys(tool.parameters).length > 0;
    return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), ...(hasSchema ? { parametersJsonSchema: tool.parameters } : {}) };
  });
}

function functionCallingConfig(choice: ToolChoice): Record<string, unknown> {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

/**
 * Reasoning → thinkingConfig. Gemini 3 takes `thinkingLevel` (low / high) and cannot switch
 * thinking off; 2.5 takes a token budget (0 = off). Thoughts are included whenever the client
 * asked for reasoning, so they can be shown as thinking.
 */
export function thinkingConfig(reasoning: ReasoningConfig | undefined, model: string): Record<string, unknown> | undefined {
  if (!reasoning) return undefined;
  const levels = /gemini-3/.test(model);
  if (reasoning.enabled === false) return levels ? { thinkingLevel: 'low' } : { thinkingBudget: 0 };
  const config: Record<string, unknown> = { includeThoughts: true };
  if (reasoning.budgetTokens !== undefined) config.thinkingBudget = reasoning.budgetTokens;
  else if (reasoning.effort) {
    if (levels) config.thinkingLevel = reasoning.effort === 'minimal' || reasoning.effort === 'low' ? 'low' : 'high';
    else config.thinkingBudget = EFFORT_BUDGETS[reasoning.effort];
  } else if (reasoning.adaptive && !levels) config.thinkingBudget = -1; // -1 = dynamic
  return config;
}

function generationConfig(request: ChatRequest, model: string): Record<string, unknown> | undefined {
  const config: Record<string, unknown> = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  // Penalties only when set to something: several Gemini models refuse the fields outright,
  // and many clients send an explicit 0 by default.
  if (request.presencePenalty) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty) config.frequencyPenalty = request.frequencyPenalty;
  const format = request.responseFormat;
  if (format?.type === 'json') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = format.schema;
  }
  const thinking = thinkingConfig(request.reasoning, model);
  if (thinking) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}

/** `request` has the target's overrides applied already. */
export function buildGeminiBody(request: ChatRequest, model: string, context: ContentsContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const system = request.system.filter((part) => part.text !== '');
  if (system.length > 0) body.systemInstruction = { parts: system.map((part) => ({ text: part.text })) };
  body.contents = buildGeminiContents(request.messages, context);
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = [{ functionDeclarations: functionDeclarations(tools) }];
    if (request.toolChoice) body.toolConfig = { functionCallingConfig: functionCallingConfig(request.toolChoice) };
  }
  const generation = generationConfig(request, model);
  if (generation) body.generationConfig = generation;
  return body;
}

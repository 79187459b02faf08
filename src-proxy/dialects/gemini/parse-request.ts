/**
 * A Gemini `generateContent` body (the model comes from the URL) → the canonical request:
 * systemInstruction, contents (parse-contents.ts), function declarations, toolConfig and
 * generationConfig (docs/wire-formats.md, "Gemini", "Tool schemas"). Fields with no canonical
 * slot (safetySettings, cachedContent, …) are kept in `extra.gemini`.
 */
import type { ChatRequest, ReasoningConfig, ResponseFormat, TextPart, ToolChoice, ToolDefinition } from '../../canonical/types.ts';
import { fieldError, isRecord } from '../../wire/validate.ts';
import { GeminiContentsParser } from './parse-contents.ts';

type Json = Record<string, unknown>;

const KNOWN_FIELDS = new Set(['contents', 'systemInstruction', 'system_instruction', 'tools', 'toolConfig', 'generationConfig', 'model']);
const THINKING_LEVELS: Record<string, ReasoningConfig['effort']> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high' };

/** An OpenAPI-subset schema (`parameters`, `type: "STRING"`, `nullable`) → JSON Schema. */
export function jsonSchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOf);
  if (!isRecord(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'nullable' || key === 'propertyOrdering') continue;
    else if (key === 'properties' && isRecord(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, jsonSchemaOf(inner)]));
    else out[key] = jsonSchemaOf(value);
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

function textParts(raw: unknown): TextPart[] {
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  if (!isRecord(raw) || !Array.isArray(raw.parts)) return [];
  return raw.parts.filter((part): part is Json => isRecord(part) && typeof part.text === 'string').map((part) => ({ type: 'text', text: part.text as string }));
}

function parseTools(raw: unknown): ToolDefinition[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).flatMap((tool): ToolDefinition[] => {
    if (Array.isArray(tool.functionDeclarations)) {
      return tool.functionDeclarations.filter(isRecord).map((declaration) => ({
        type: 'function',
        name: String(declaration.name),
        ...(typeof declaration.description === 'string' ? { description: declaration.description } : {}),
        parameters: (isRecord(declaration.parametersJsonSchema) ? declaration.parametersJsonSchema : isRecord(declaration.parameters) ? jsonSchemaOf(declaration.parameters) : { type: 'object', properties: {} }) as Json,
      }));
    }
    // googleSearch, codeExecution, urlContext…: only a Gemini upstream can run them.
    return Object.keys(tool).map((name) => ({ type: 'native', dialect: 'gemini', name, raw: { [name]: tool[name] } }));
  });
}

function parseToolChoice(raw: unknown): ToolChoice | undefined {
  const config = isRecord(raw) && isRecord(raw.functionCallingConfig) ? raw.functionCallingConfig : null;
  if (!config) return undefined;
  const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames.filter((name): name is string => typeof name === 'string') : [];
  switch (config.mode) {
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
      return allowed.length === 1 ? { type: 'tool', name: allowed[0]! } : { type: 'required' };
    default:
      return { type: 'auto' };
  }
}

function parseReasoning(raw: unknown): ReasoningConfig | undefined {
  if (!isRecord(raw)) return undefined;
  const reasoning: ReasoningConfig = {};
  if (typeof raw.thinkingBudget === 'number') {
    if (raw.thinkingBudget === 0) reasoning.enabled = false;
    else if (raw.thinkingBudget < 0) reasoning.adaptive = true;
    else reasoning.budgetTokens = raw.thinkingBudget;
  }
  const level = typeof raw.thinkingLevel === 'string' ? THINKING_LEVELS[raw.thinkingLevel.toLowerCase()] : undefined;
  if (level) reasoning.effort = level;
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

function parseResponseFormat(config: Json): ResponseFormat | undefined {
  if (config.responseMimeType !== 'application/json') return undefined;
  const schema = isRecord(config.responseJsonSchema) ? config.responseJsonSchema : isRecord(config.responseSchema) ? (jsonSchemaOf(config.responseSchema) as Json) : null;
  return schema ? { type: 'json_schema', schema } : { type: 'json' };
}

export interface ParsedGeminiRequest {
  request: ChatRequest;
  /** generationConfig.thinkingConfig.includeThoughts: thought text goes back only when asked. */
  includeThoughts: boolean;
}

export function parseGeminiRequest(body: Json, model: string, stream: boolean, signsReasoning: (kind: string) => boolean): ParsedGeminiRequest {
  const parser = new GeminiContentsParser(signsReasoning);
  parser.add(body.contents as unknown[]);
  if (parser.messages.length === 0) {
    throw fieldError({ path: 'contents', problem: '"contents" has no parts with content', fix: 'Put at least one part with content ({"text": …}, inline data, a file, a function call or response) in "contents"' });
  }
  const config = isRecord(body.generationConfig) ? body.generationConfig : {};
  const thinking = isRecord(config.thinkingConfig) ? config.thinkingConfig : undefined;
  const tools = parseTools(body.tools);
  const toolChoice = parseToolChoice(body.toolConfig);
  const reasoning = parseReasoning(thinking);
  const responseFormat = parseResponseFormat(config);
  const extra: Json = {};
  for (const [key, value] of Object.entries(body)) if (!KNOWN_FIELDS.has(key)) extra[key] = value;
  const request: ChatRequest = {
    model,
    system: textParts(body.systemInstruction ?? body.system_instruction),
    messages: parser.messages,
    stream,
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(typeof config.maxOutputTokens === 'number' ? { maxTokens: config.maxOutputTokens } : {}),
    ...(typeof config.temperature === 'number' ? { temperature: config.temperature } : {}),
    ...(typeof config.topP === 'number' ? { topP: config.topP } : {}),
    ...(typeof config.topK === 'number' ? { topK: config.topK } : {}),
    ...(Array.isArray(config.stopSequences) ? { stop: config.stopSequences.filter((item): item is string => typeof item === 'string') } : {}),
    ...(typeof config.seed === 'number' ? { seed: config.seed } : {}),
    ...(typeof config.presencePenalty === 'number' ? { presencePenalty: config.presencePenalty } : {}),
    ...(typeof config.frequencyPenalty === 'number' ? { frequencyPenalty: config.frequencyPenalty } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    ...(reasoning ? { reasoning } : {}),
    extra: Object.keys(extra).length > 0 ? { gemini: extra } : {},
  };
  return { request, includeThoughts: thinking?.includeThoughts === true };
}

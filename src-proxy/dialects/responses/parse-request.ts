/**
 * A Responses request body → the canonical request, for upstreams reached through translation.
 * `instructions` come first in the system prompt; the kept conversation of a
 * `previous_response_id` (already flattened into items) precedes the request's own input.
 * Fields that only a Responses upstream understands (store, include, prompt_cache_key,
 * truncation, service_tier) have no canonical slot and stay behind.
 */
import type { ChatRequest, ReasoningConfig, ReasoningEffort, ResponseFormat } from '../../canonical/types.ts';
import { isRecord, optionalNumber, requireString } from '../../wire/validate.ts';
import { ResponsesInputParser } from './parse-input.ts';
import { parseResponsesToolChoice, parseResponsesTools, type ClientToolName } from './parse-tools.ts';

export interface ParsedResponsesRequest {
  request: ChatRequest;
  /** Canonical tool names that go back to the client as custom or namespaced calls. */
  naming: ReadonlyMap<string, ClientToolName>;
  /** Hosted tools and input items left out (for the x-switchboard-dropped header). */
  dropped: string[];
}

const EFFORTS: Record<string, ReasoningEffort> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', xhigh: 'max' };

function parseReasoning(raw: unknown): ReasoningConfig | undefined {
  if (!isRecord(raw)) return undefined;
  const config: ReasoningConfig = {};
  if (raw.effort === 'none') config.enabled = false;
  else if (typeof raw.effort === 'string' && EFFORTS[raw.effort]) config.effort = EFFORTS[raw.effort];
  if (typeof raw.summary === 'string') {
    config.summary = raw.summary;
    // A summary of the reasoning is asked: reasoning is wanted, with or without an effort.
    if (config.enabled !== false) config.enabled = true;
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

function parseTextFormat(raw: unknown): ResponseFormat | undefined {
  const format = isRecord(raw) ? raw.format : undefined;
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type === 'json_schema') {
    return {
      type: 'json_schema',
      ...(typeof format.name === 'string' ? { name: format.name } : {}),
      schema: isRecord(format.schema) ? format.schema : {},
      ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}),
    };
  }
  return { type: 'text' };
}

export function parseResponsesRequest(
  body: Record<string, unknown>,
  history: readonly unknown[] | null,
  signsReasoning: (kind: string) => boolean,
): ParsedResponsesRequest {
  const model = requireString(body.model, 'model');
  const input = new ResponsesInputParser(signsReasoning);
  if (history && history.length > 0) input.add(history, 'previous_response_id');
  if (body.input !== undefined && body.input !== null) input.add(body.input, 'input');
  const system = typeof body.instructions === 'string' && body.instructions ? [{ type: 'text' as const, text: body.instructions }, ...input.system] : input.system;
  const tools = parseResponsesTools(body.tools);
  // Parsed even when every offered tool was dropped: forcing a hosted tool must fail clearly.
  const toolChoice = parseResponsesToolChoice(body.tool_choice);
  const reasoning = parseReasoning(body.reasoning);
  const responseFormat = parseTextFormat(body.text);
  const user = typeof body.user === 'string' ? body.user : typeof body.safety_identifier === 'string' ? body.safety_identifier : undefined;
  const request: ChatRequest = {
    model,
    system,
    messages: input.messages,
    ...(tools.tools.length > 0 ? { tools: tools.tools } : {}),
    ...(toolChoice && tools.tools.length > 0 ? { toolChoice } : {}),
    ...(typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    maxTokens: optionalNumber(body.max_output_tokens, 'max_output_tokens'),
    temperature: optionalNumber(body.temperature, 'temperature'),
    topP: optionalNumber(body.top_p, 'top_p'),
    ...(responseFormat ? { responseFormat } : {}),
    ...(reasoning ? { reasoning } : {}),
    stream: body.stream === true,
    ...(user ? { user } : {}),
    ...(isRecord(body.metadata) ? { metadata: body.metadata } : {}),
    extra: {},
  };
  return { request, naming: tools.naming, dropped: [...tools.dropped, ...input.dropped] };
}

/**
 * The Responses `response` object and its output items, shared by the streaming encoder and
 * the non-streaming answer. There is no finish_reason in Responses (docs/wire-formats.md, "OpenAI Responses"): a tool call
 * is only its `function_call` item, a token limit or content filter makes the status
 * `incomplete` with `incomplete_details.reason`.
 *
 * The client's `instructions` and `tools` are not echoed back (Codex sends ~40 KB of them every
 * turn and the streaming events would repeat them three times); the SDKs do not read them.
 */
import type { AssistantPart, FinishReason, Signature, Usage } from '../../canonical/types.ts';
import { makeId } from '../../canonical/ids.ts';
import { parseArguments } from '../../canonical/json-args.ts';
import { isRecord } from '../../wire/validate.ts';
import { encodeEncryptedContent } from './encrypted-reasoning.ts';
import type { ClientToolName } from './parse-tools.ts';

export type OutputItem = Record<string, unknown>;

export interface ResponseMeta {
  id: string;
  createdAt: number;
  model: string;
  /** Request fields echoed in every response object. */
  echo: Record<string, unknown>;
}

/** The request fields a response object repeats (cheap scalars and small objects only). */
export function responseEcho(body: Record<string, unknown>): Record<string, unknown> {
  return {
    previous_response_id: typeof body.previous_response_id === 'string' ? body.previous_response_id : null,
    parallel_tool_calls: body.parallel_tool_calls !== false,
    tool_choice: body.tool_choice ?? 'auto',
    temperature: typeof body.temperature === 'number' ? body.temperature : null,
    top_p: typeof body.top_p === 'number' ? body.top_p : null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    reasoning: isRecord(body.reasoning) ? body.reasoning : null,
    text: isRecord(body.text) ? body.text : { format: { type: 'text' } },
    store: body.store !== false,
    metadata: isRecord(body.metadata) ? body.metadata : {},
  };
}

export function responsesUsage(usage: Partial<Usage>): Record<string, unknown> {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export function statusOf(reason: FinishReason | null): { status: ResponseStatus; incompleteReason?: string } {
  if (reason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (reason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

export function responseObject(
  meta: ResponseMeta,
  status: ResponseStatus,
  output: OutputItem[],
  extras: { usage?: Partial<Usage> | null; incompleteReason?: string; error?: { code: string; message: string } } = {},
): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.createdAt,
    status,
    error: extras.error ?? null,
    incomplete_details: extras.incompleteReason ? { reason: extras.incompleteReason } : null,
    model: meta.model,
    output,
    usage: extras.usage ? responsesUsage(extras.usage) : null,
    ...meta.echo,
  };
}

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): OutputItem {
  return { type: 'message', id, status, role: 'assistant', content: status === 'completed' ? [outputTextPart(text)] : [] };
}

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function reasoningItem(id: string, text: string | null, sealed: { signature: Signature; redacted: boolean } | null): OutputItem {
  return {
    type: 'reasoning',
    id,
    summary: text ? [{ type: 'summary_text', text }] : [],
    ...(sealed ? { encrypted_content: encodeEncryptedContent(sealed.signature, sealed.redacted) } : {}),
  };
}

/** A finished call as the client knows it: function_call, or custom_tool_call for custom tools. */
export function callItem(id: string, callId: string, canonicalName: string, args: string, naming: ReadonlyMap<string, ClientToolName>, status: 'in_progress' | 'completed'): OutputItem {
  const known = naming.get(canonicalName);
  const name = known?.name ?? canonicalName;
  const namespace = known?.namespace ? { namespace: known.namespace } : {};
  if (known?.custom) return { type: 'custom_tool_call', id, call_id: callId, name, ...namespace, input: status === 'completed' ? customInput(args) : '', status };
  return { type: 'function_call', id, call_id: callId, name, ...namespace, arguments: args, status };
}

/** The string a custom tool receives: the `input` argument of its one-parameter wrapper. */
export function customInput(args: string): string {
  const parsed = parseArguments(args);
  return typeof parsed.input === 'string' ? parsed.input : typeof parsed._raw === 'string' ? parsed._raw : args;
}

/** Output items of a collected answer (non-streaming). */
export function outputItemsFromContent(content: AssistantPart[], naming: ReadonlyMap<string, ClientToolName>): OutputItem[] {
  const items: OutputItem[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      const last = items.at(-1);
      if (last?.type === 'message') (last.content as Array<{ text: string }>)[0]!.text += part.text;
      else items.push(messageItem(makeId('msg_'), part.text, 'completed'));
    } else if (part.type === 'thinking') {
      const sealed = part.redacted ? { signature: part.redacted, redacted: true } : part.signature ? { signature: part.signature, redacted: false } : null;
      items.push(reasoningItem(makeId('rs_'), part.redacted ? null : part.text, sealed));
    } else {
      items.push(callItem(makeId('fc_'), part.id, part.name, part.arguments || '{}', naming, 'completed'));
    }
  }
  return items;
}

/**
 * Tool-call loops, read from the conversation the agent sends: its last assistant turns made the
 * same tool call(s) — same tool, same arguments as canonical JSON (key order and spacing do not
 * matter) — again and again. Stateless: the conversation is the agent's own record of what it did,
 * so the finding holds across restarts and needs no session. Pure.
 */
import { parseArguments } from '../canonical/json-args.ts';
import type { ChatRequest, ChatResponse, Message } from '../canonical/types.ts';
import type { LoopFinding, ToolLoopMode } from '../domain/guardrails.ts';

/** The same call(s) in the last assistant turns, and how many turns in a row; null when the last turn called no tool. */
export function trailingToolRepeats(messages: readonly Message[]): { call: string; count: number } | null {
  let call: string | null = null;
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    // Tool results sit between the turns; a user message ends the agent's streak.
    if (message.role === 'tool') continue;
    if (message.role === 'user') break;
    const calls = message.content.flatMap((part) => (part.type === 'tool_call' ? [toolCallKey(part.name, part.arguments)] : []));
    if (calls.length === 0) break;
    const key = turnKey(calls);
    if (call === null) call = key;
    else if (key !== call) break;
    count++;
  }
  return call === null ? null : { call, count };
}

/** One tool call as the loop check compares it: its name and its arguments as canonical JSON. */
export function toolCallKey(name: string, args: string): string {
  return `${name} ${canonicalJson(parseArguments(args))}`;
}

/** One assistant turn's calls as the loop check compares them (order does not matter). Sorts `calls`. */
export function turnKey(calls: string[]): string {
  return calls.sort().join(' + ');
}

/**
 * The finding for this request, or null. block: answered locally once the streak reaches
 * `maxRepeats`; chance_then_block lets the first such request through (allowed_once) and blocks
 * from the next identical call on; warn only records.
 */
export function findToolLoop(request: ChatRequest, options: { mode: ToolLoopMode; maxRepeats: number }): LoopFinding | null {
  const repeats = trailingToolRepeats(request.messages);
  if (!repeats || repeats.count < options.maxRepeats) return null;
  const what = repeats.call.length > 200 ? `${repeats.call.slice(0, 200)}…` : repeats.call;
  const action = options.mode === 'warn' ? 'warned' : options.mode === 'chance_then_block' && repeats.count === options.maxRepeats ? 'allowed_once' : 'blocked';
  return { kind: 'tool', what, count: repeats.count, action };
}

/**
 * chance_then_block's one chance: the request goes upstream with this note added to its system
 * prompt, so the model learns it is repeating itself before the next identical call is blocked.
 */
export function withToolLoopWarning(request: ChatRequest, finding: LoopFinding): ChatRequest {
  const text =
    `Note from Switchboard: your last ${finding.count} tool calls were the same call, ${finding.what}, and it gave the same result each time. ` +
    'Do not make this call again with the same arguments (the next identical call will be blocked): change the arguments, try another approach, or tell the user what is blocking you.';
  return { ...request, system: [...request.system, { type: 'text', text }] };
}

/** The assistant message a blocked request gets instead of a provider's answer. */
export function toolLoopAnswer(finding: LoopFinding, model: string): ChatResponse {
  const text =
    `Switchboard stopped a tool-call loop: the last ${finding.count} tool calls were the same call, ${finding.what}, ` +
    'and repeating it will not give a different result. Do not make this call again with the same arguments: ' +
    'change the arguments, try another approach, or tell the user what is blocking you.';
  return { id: '', model, content: [{ type: 'text', text }], finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } };
}

/** JSON with object keys sorted at every depth: the same arguments read the same however they were written. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

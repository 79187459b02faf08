/**
 * Canonical answer → Ollama wire format: NDJSON lines (`application/x-ndjson`) while streaming,
 * one JSON object otherwise, for /api/chat (`message`) and /api/generate (`response`).
 *
 * What clients rely on (docs/wire-formats.md, "Ollama"): every line has `model`, `created_at` and `done`; tool
 * calls go out whole, with object arguments and `function.index`, parallel calls in one line;
 * the last line is `done: true` with `done_reason` ("stop" after tool calls too, "length" at the
 * token limit) and the counts and durations in nanoseconds, measured here.
 */
import { parseArguments } from '../../canonical/json-args.ts';
import type { ChatResponse, FinishReason, StreamEvent, Usage } from '../../canonical/types.ts';
import type { StreamEncoder } from '../../http/send-stream.ts';
import { ollamaStreamError } from './errors.ts';
import { mergeUsage } from '../../canonical/usage.ts';

export type OllamaEndpoint = 'chat' | 'generate';

interface Call {
  id: string;
  name: string;
  arguments: string;
}

/** Wall-clock timing of one answer, for the nanosecond durations of the final line. */
export class AnswerTiming {
  private readonly startedAt = performance.now();
  private firstTokenAt: number | null = null;

  markFirstToken(): void {
    this.firstTokenAt ??= performance.now();
  }

  fields(usage: Partial<Usage> | null): Record<string, number> {
    const now = performance.now();
    const ns = (ms: number) => Math.max(1, Math.round(ms * 1e6));
    const firstToken = this.firstTokenAt ?? now;
    return {
      total_duration: ns(now - this.startedAt),
      load_duration: 0,
      prompt_eval_count: usage?.inputTokens ?? 0,
      prompt_eval_duration: ns(firstToken - this.startedAt),
      eval_count: usage?.outputTokens ?? 0,
      eval_duration: ns(now - firstToken),
    };
  }
}

export function ollamaDoneReason(reason: FinishReason): string {
  return reason === 'length' ? 'length' : 'stop';
}

function toolCallsJson(calls: Call[], firstIndex: number): Array<Record<string, unknown>> {
  return calls.map((call, offset) => ({ id: call.id, function: { index: firstIndex + offset, name: call.name, arguments: parseArguments(call.arguments) } }));
}

export function createOllamaEncoder(meta: { model: string; endpoint: OllamaEndpoint; timing: AnswerTiming }): StreamEncoder {
  const head = `{"model":${JSON.stringify(meta.model)},"created_at":"`;
  const open = new Map<number, Call>();
  let ready: Call[] = [];
  let sentCalls = 0;
  let usage: Partial<Usage> | null = null;
  let finish: FinishReason = 'stop';
  const chat = meta.endpoint === 'chat';

  // Lines of one answer often share a millisecond: format the timestamp once per millisecond.
  let stampMs = 0;
  let stamp = '';
  const createdAt = () => {
    const ms = Date.now();
    if (ms !== stampMs) {
      stampMs = ms;
      stamp = new Date(ms).toISOString();
    }
    return stamp;
  };
  const line = (body: string) => `${head}${createdAt()}",${body},"done":false}\n`;
  const text = (value: string) => line(chat ? `"message":{"role":"assistant","content":${JSON.stringify(value)}}` : `"response":${JSON.stringify(value)}`);
  const thinking = (value: string) =>
    line(chat ? `"message":{"role":"assistant","content":"","thinking":${JSON.stringify(value)}}` : `"response":"","thinking":${JSON.stringify(value)}`);
  const flushCalls = () => {
    if (ready.length === 0) return '';
    const calls = toolCallsJson(ready, sentCalls);
    sentCalls += ready.length;
    ready = [];
    return line(`"message":{"role":"assistant","content":"","tool_calls":${JSON.stringify(calls)}}`);
  };

  return {
    contentType: 'application/x-ndjson',
    encode(event: StreamEvent): string {
      switch (event.type) {
        case 'text_delta':
          meta.timing.markFirstToken();
          return event.text ? flushCalls() + text(event.text) : '';
        case 'thinking_delta':
          meta.timing.markFirstToken();
          return event.text ? flushCalls() + thinking(event.text) : '';
        case 'tool_call_start':
          meta.timing.markFirstToken();
          open.set(event.index, { id: event.id, name: event.name, arguments: '' });
          return '';
        case 'tool_call_delta': {
          const call = open.get(event.index);
          if (call) call.arguments += event.arguments;
          return '';
        }
        case 'tool_call_end': {
          const call = open.get(event.index);
          if (call) {
            open.delete(event.index);
            ready.push(call);
          }
          return '';
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return '';
        case 'finish':
          finish = event.reason;
          return '';
        default:
          return '';
      }
    },
    end(): string {
      ready.push(...open.values());
      open.clear();
      const empty = chat ? '"message":{"role":"assistant","content":""}' : '"response":""';
      const done = { done: true, done_reason: ollamaDoneReason(finish), ...meta.timing.fields(usage) };
      return `${flushCalls()}${head}${createdAt()}",${empty},${JSON.stringify(done).slice(1)}\n`;
    },
    error: ollamaStreamError,
    // NDJSON has no comment syntax and Ollama's clients parse every line: no keep-alive bytes.
    ping: () => '',
  };
}

/** A whole answer as one object (stream: false). */
export function renderOllamaResponse(response: ChatResponse, meta: { model: string; endpoint: OllamaEndpoint; timing: AnswerTiming }): Record<string, unknown> {
  let text = '';
  let thinking = '';
  const calls: Call[] = [];
  for (const part of response.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'thinking') thinking += part.text;
    else calls.push(part);
  }
  // The head's fields written out first, no `{ ...head, … }`: a literal that starts with a spread and adds keys costs a hidden class per call (wire/with-fields.ts).
  const createdAt = new Date().toISOString();
  const done = { done: true, done_reason: ollamaDoneReason(response.finishReason), ...meta.timing.fields(response.usage) };
  if (meta.endpoint === 'generate') return { model: meta.model, created_at: createdAt, response: text, ...(thinking ? { thinking } : {}), ...done };
  const message = { role: 'assistant', content: text, ...(thinking ? { thinking } : {}), ...(calls.length > 0 ? { tool_calls: toolCallsJson(calls, 0) } : {}) };
  return { model: meta.model, created_at: createdAt, message, ...done };
}

/**
 * Gemini answers (one `generateContent` JSON, or the SSE chunks of `streamGenerateContent`) →
 * canonical events. Quirks (docs/wire-formats.md, "Gemini", "Tricky cases"):
 * - a function call arrives whole in one part and often without an id: ids are made here,
 *   `call_<answer prefix>_<n>`, unique per answer so signatures can be looked up by id later;
 * - a tool call still finishes with STOP: the calls present decide `tool_calls`;
 * - `usageMetadata` is a running total: the last one wins, never a sum; candidates exclude
 *   thoughts, so output = candidates + thoughts;
 * - a blocked prompt has no candidates, only `promptFeedback.blockReason`: it becomes a
 *   `content_filtered` error (a silent empty answer would look like a gateway bug);
 * - the stream has no terminator but the finish reason; EOF without one is a cut stream.
 */
import { makeId } from '../../canonical/ids.ts';
import type { StreamEvent } from '../../canonical/types.ts';
import { GatewayError } from '../../errors/codes.ts';
import { sseJsonEvents } from '../../upstream/event-queue.ts';
import type { SignatureCache } from '../../canonical/signature-cache.ts';
import { BAD_CALL_REASONS, mapGeminiFinishReason, mapGeminiUsage } from './answer.ts';
import type { GeminiResponse, GeminiUsageMetadata } from './types.ts';

/** Stateful converter: feed it parsed chunks in order, then call finish(). */
export class GeminiChunkConverter {
  private started = false;
  private finishReason: string | null = null;
  private calls = 0;
  private produced = false;
  private usage: GeminiUsageMetadata | null = null;
  private readonly idPrefix = makeId('');

  constructor(private readonly signatures: SignatureCache<string>) {}

  convert(chunk: GeminiResponse): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (chunk.error) {
      const status = typeof chunk.error.code === 'number' && chunk.error.code >= 400 ? chunk.error.code : 502;
      events.push({ type: 'error', error: { code: 'upstream_error', message: `Gemini reported an error mid-stream${chunk.error.status ? ` (${chunk.error.status})` : ''}: ${chunk.error.message ?? 'no message'}`, status } });
      return events;
    }
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: chunk.responseId || undefined, model: chunk.modelVersion || undefined });
    }
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    const candidate = chunk.candidates?.[0];
    if (!candidate) {
      const blocked = chunk.promptFeedback?.blockReason;
      if (blocked) {
        const why = chunk.promptFeedback?.blockReasonMessage;
        events.push({ type: 'error', error: { code: 'content_filtered', message: `Gemini blocked the prompt (blockReason ${blocked}${why ? `: ${why}` : ''}).`, status: 400 } });
      }
      return events;
    }
    for (const part of candidate.content?.parts ?? []) {
      if (part.functionCall) {
        const index = this.calls++;
        const id = part.functionCall.id || `call_${this.idPrefix}_${index}`;
        const signature = part.thoughtSignature;
        if (signature) this.signatures.remember(id, signature);
        events.push(
          { type: 'tool_call_start', index, id, name: part.functionCall.name ?? '' },
          { type: 'tool_call_delta', index, arguments: JSON.stringify(part.functionCall.args ?? {}) },
          { type: 'tool_call_end', index, ...(signature ? { signature: { provider: 'gemini' as const, value: signature } } : {}) },
        );
        this.produced = true;
      } else if (typeof part.text === 'string') {
        if (part.thought) {
          if (part.text !== '') events.push({ type: 'thinking_delta', text: part.text });
          if (part.thoughtSignature) events.push({ type: 'thinking_signature', signature: { provider: 'gemini', value: part.thoughtSignature } });
        } else if (part.text !== '') {
          // A signature on a plain text part is optional to return (Gemini docs); it is not kept.
          events.push({ type: 'text_delta', text: part.text });
          this.produced = true;
        }
      }
      // Other parts (inline images, code execution) have no canonical slot and are skipped.
    }
    if (candidate.finishReason) this.finishReason = candidate.finishReason;
    return events;
  }

  /**
   * The text of a chunk that is one plain text part and nothing else but the running usage (see
   * SseJsonHandler.textOnly; the usage is the template's side slot, taken by keepUsage). Not for
   * an empty text, so the template is learned from a chunk that marked the answer as produced.
   */
  textOnly(chunk: GeminiResponse): string | undefined {
    if (!this.started || chunk.error || !Array.isArray(chunk.candidates)) return undefined;
    const candidate = chunk.candidates[0];
    if (!candidate || candidate.finishReason) return undefined;
    const parts = candidate.content?.parts;
    if (!Array.isArray(parts) || parts.length !== 1) return undefined;
    const part = parts[0]!;
    if (part.functionCall || part.thought || typeof part.text !== 'string' || part.text === '') return undefined;
    return part.text;
  }

  /** The usage of a chunk read from the template: the same running total convert() keeps. */
  keepUsage(usage: GeminiUsageMetadata): void {
    this.usage = usage;
  }

  get sawFinish(): boolean {
    return this.finishReason !== null;
  }

  finish(): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (this.usage) events.push({ type: 'usage', usage: mapGeminiUsage(this.usage) });
    const raw = this.finishReason ?? 'STOP';
    if (BAD_CALL_REASONS.has(raw) && !this.produced) {
      events.push({ type: 'error', error: { code: 'upstream_error', message: `Gemini ended the answer with ${raw}: the model produced a tool call it could not complete. Retry, or simplify the tool schemas.`, status: 502 } });
      return events;
    }
    const reason = mapGeminiFinishReason(raw);
    events.push({ type: 'finish', reason: reason === 'stop' && this.calls > 0 ? 'tool_calls' : reason });
    return events;
  }
}

/** SSE body of `streamGenerateContent?alt=sse` → canonical events (it ends at EOF, no [DONE]). */
export function geminiStreamEvents(body: AsyncIterable<Buffer>, signatures: SignatureCache<string>): AsyncIterable<StreamEvent> {
  const converter = new GeminiChunkConverter(signatures);
  return sseJsonEvents(body, {
    convert: (json) => converter.convert(json as GeminiResponse),
    textOnly: (json) => converter.textOnly(json as GeminiResponse),
    textSide: { key: 'usageMetadata', take: (usage) => converter.keepUsage(usage as GeminiUsageMetadata) },
    finish() {
      if (!converter.sawFinish) throw new GatewayError('upstream_disconnected', 'The Gemini stream ended without a finish reason');
      return converter.finish();
    },
  });
}

/** A whole `generateContent` answer → the same events. */
export function geminiResponseEvents(json: GeminiResponse, signatures: SignatureCache<string>): StreamEvent[] {
  const converter = new GeminiChunkConverter(signatures);
  const events = converter.convert(json);
  if (events.some((event) => event.type === 'error')) return events;
  return [...events, ...converter.finish()];
}

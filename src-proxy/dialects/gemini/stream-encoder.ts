/**
 * Canonical events → Gemini's stream: `data: {GenerateContentResponse}` events separated by
 * blank lines, no event names, no terminator (alt=sse), or without alt=sse one JSON array
 * (docs/wire-formats.md, "Gemini", "Stream framing"). Like Gemini, function calls go out whole
 * (arguments are gathered until the call ends) and the finish reason and usage ride on the last
 * chunk with content: one chunk is held back until the next, so the last one can carry them.
 * A stream without a finish reason is cut, so end() always writes one.
 */
import type { StreamEvent, Usage } from '../../canonical/types.ts';
import type { GatewayError } from '../../errors/codes.ts';
import type { StreamEncoder } from '../../http/send-stream.ts';
import { geminiFinishReason, geminiUsageMetadata } from '../../wire/gemini/answer.ts';
import { geminiErrorBody } from './errors.ts';
import type { GeminiPart, GeminiResponse } from '../../wire/gemini/types.ts';
import type { AnswerMeta } from './render-response.ts';
import { geminiPartOf } from './render-response.ts';
import { mergeUsage } from '../../canonical/usage.ts';

export function createGeminiStreamEncoder(meta: AnswerMeta, form: 'sse' | 'array'): StreamEncoder {
  const calls = new Map<number, { id: string; name: string; args: string }>();
  let usage: Partial<Usage> = {};
  let held: GeminiResponse | null = null;
  let finishReason = 'STOP';
  let written = 0;

  /** A plain text chunk held as its text only: no chunk object is built for it unless end() or a thought's signature needs one. */
  let heldText: string | null = null;

  const frameJson = (json: string): string => {
    if (form === 'sse') return `data: ${json}\r\n\r\n`;
    written += 1;
    return `${written === 1 ? '[' : ',\r\n'}${json}`;
  };
  const frame = (chunk: GeminiResponse): string => frameJson(JSON.stringify(chunk));
  const chunkOf = (part: GeminiPart): GeminiResponse => ({
    candidates: [{ content: { role: 'model', parts: [part] }, index: 0 }],
    modelVersion: meta.model,
    responseId: meta.responseId,
  });
  // A text chunk's JSON around its string: the serialisation of a chunk with a probe for text, cut at the probe.
  const probe = JSON.stringify('\u0001');
  const [textHead, textTail] = JSON.stringify(chunkOf({ text: '\u0001' })).split(probe) as [string, string];
  /** The held chunk as an object (built now for a held text), taking it out of hold. */
  const takeHeld = (): GeminiResponse | null => {
    const chunk = heldText !== null ? chunkOf({ text: heldText }) : held;
    held = null;
    heldText = null;
    return chunk;
  };
  /** The held chunk's frame ('' for none), taking it out of hold. */
  const release = (): string => {
    if (heldText !== null) {
      const json = textHead + JSON.stringify(heldText) + textTail;
      heldText = null;
      return frameJson(json);
    }
    const previous = held;
    held = null;
    return previous ? frame(previous) : '';
  };
  /** Holds the new chunk and returns the one it replaces. */
  const hold = (part: GeminiPart | null): string => {
    if (!part) return '';
    const previous = release();
    held = chunkOf(part);
    return previous;
  };

  return {
    contentType: form === 'sse' ? 'text/event-stream' : 'application/json; charset=utf-8',
    encode(event: StreamEvent): string {
      switch (event.type) {
        case 'text_delta': {
          if (event.text === '') return '';
          const previous = release();
          heldText = event.text;
          return previous;
        }
        case 'thinking_delta':
          return hold(meta.includeThoughts && event.text !== '' ? { text: event.text, thought: true } : null);
        case 'thinking_signature': {
          // The signature closes the thought just sent: it goes on that part, as Gemini puts it.
          const part = geminiPartOf({ type: 'thinking', text: '', signature: event.signature }, meta.includeThoughts);
          // A held text part is no thought: the signature then goes on a part of its own.
          const last = heldText === null ? held?.candidates?.[0]?.content?.parts?.at(-1) : undefined;
          if (part && last?.thought && !last.thoughtSignature) {
            last.thoughtSignature = part.thoughtSignature;
            return '';
          }
          return hold(part);
        }
        case 'redacted_thinking':
          return hold(geminiPartOf({ type: 'thinking', text: '', redacted: event.data }, meta.includeThoughts));
        case 'tool_call_start':
          calls.set(event.index, { id: event.id, name: event.name, args: '' });
          return '';
        case 'tool_call_delta': {
          const call = calls.get(event.index);
          if (call) call.args += event.arguments;
          return '';
        }
        case 'tool_call_end': {
          const call = calls.get(event.index);
          if (!call) return '';
          calls.delete(event.index);
          return hold(geminiPartOf({ type: 'tool_call', id: call.id, name: call.name, arguments: call.args, ...(event.signature ? { signature: event.signature } : {}) }, meta.includeThoughts));
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return '';
        case 'finish':
          // Usage may still follow (an OpenAI upstream sends it after the finish chunk): the
          // last chunk goes out at the end.
          finishReason = geminiFinishReason(event.reason);
          return '';
        default:
          return '';
      }
    },
    end(): string {
      const last: GeminiResponse = takeHeld() ?? chunkOf({ text: '' });
      last.candidates![0]!.finishReason = finishReason;
      last.usageMetadata = geminiUsageMetadata(usage);
      const text = frame(last);
      return form === 'array' ? `${text}]` : text;
    },
    error(error: GatewayError): string {
      // What was produced before the failure still reaches the client, then the error.
      const rest = release();
      const body = JSON.stringify(geminiErrorBody(error));
      if (form === 'sse') return `${rest}\r\n\r\ndata: ${body}\r\n\r\n`;
      const opened = written > 0;
      written += 1;
      return `${rest}${opened ? ',\r\n' : '['}${body}]`;
    },
    ping: () => (form === 'sse' ? ': ping\r\n\r\n' : written > 0 ? '\r\n' : ''),
  };
}

/**
 * A kept answer as canonical stream events, so every front door renders a hit through its own
 * canonical renderers — as a stream or as one body, in the client's dialect — whatever dialect
 * the answer was first given in. Pure.
 */
import type { ChatResponse, StreamEvent } from '../canonical/types.ts';

export function replayEvents(answer: ChatResponse): StreamEvent[] {
  // No id on start: each reply gets a fresh id from its front door, as a fresh answer would.
  const events: StreamEvent[] = [{ type: 'start', model: answer.model }];
  let toolIndex = 0;
  for (const part of answer.content) {
    switch (part.type) {
      case 'text':
        events.push({ type: 'text_delta', text: part.text });
        break;
      case 'thinking':
        if (part.redacted) events.push({ type: 'redacted_thinking', data: part.redacted });
        else {
          if (part.text) events.push({ type: 'thinking_delta', text: part.text });
          if (part.signature) events.push({ type: 'thinking_signature', signature: part.signature });
        }
        break;
      case 'tool_call': {
        const index = toolIndex++;
        events.push({ type: 'tool_call_start', index, id: part.id, name: part.name });
        if (part.arguments) events.push({ type: 'tool_call_delta', index, arguments: part.arguments });
        events.push({ type: 'tool_call_end', index, ...(part.signature ? { signature: part.signature } : {}) });
        break;
      }
    }
  }
  events.push({ type: 'usage', usage: answer.usage });
  events.push({ type: 'finish', reason: answer.finishReason, ...(answer.stopSequence ? { stopSequence: answer.stopSequence } : {}) });
  return events;
}

/** The events as the async stream a front door reads. */
export async function* replayStream(answer: ChatResponse): AsyncGenerator<StreamEvent> {
  yield* replayEvents(answer);
}

/**
 * `!/help` or `!/status` in a turn that also holds a question: the commands apply, the question
 * goes upstream, and Switchboard's answer to the commands is shown too — as a note at the head of
 * the provider's reply text, set off from it by a rule, in the client's own dialect (it is part
 * of the canonical events every front door renders). The note goes in just before the first text
 * or tool call, so a reply's thinking still comes first (a signed thinking block must lead its
 * turn). The cache keeps the reply without it (the note is added outside the cache fill), and when the
 * client sends the conversation again the note leaves the reply before it goes upstream
 * (policy/command-strip.ts).
 */
import type { StreamEvent } from '../canonical/types.ts';

export const NOTE_HEAD = '[Switchboard] ';
export const NOTE_RULE = '\n\n---\n\n';

export function commandNoteText(answer: string): string {
  return `${NOTE_HEAD}${answer}${NOTE_RULE}`;
}

export async function* withCommandNote(events: AsyncIterable<StreamEvent>, answer: string): AsyncGenerator<StreamEvent> {
  let noted = false;
  for await (const event of events) {
    if (!noted && (event.type === 'text_delta' || event.type === 'tool_call_start' || event.type === 'finish')) {
      noted = true;
      yield { type: 'text_delta', text: commandNoteText(answer) };
    }
    yield event;
  }
}

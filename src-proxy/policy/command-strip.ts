/**
 * The commands of a conversation, read from its user turns: the last user turn's commands are
 * this request's (earlier ones were applied when they were sent — clients resend the whole
 * conversation), and every turn goes upstream without its command lines. A turn that held only
 * commands leaves with the answer Switchboard gave it, so the provider sees neither. Pure.
 */
import type { ChatRequest, ChatResponse, Message, UserPart } from '../canonical/types.ts';
import { scanCommands, type CommandScan } from './command-parse.ts';
import { NOTE_HEAD, NOTE_RULE } from './command-note.ts';

export interface ConversationCommands {
  /** The conversation as it goes upstream. */
  stripped: ChatRequest;
  /** The commands of the last message, when it is a user turn that holds some. */
  last: CommandScan | null;
  /** Whether the last user turn holds nothing but commands (nothing to send upstream). */
  onlyCommands: boolean;
}

/** null when no user turn holds a command line (the request goes on unchanged). */
export function readCommands(request: ChatRequest, prefix: string): ConversationCommands | null {
  const { messages } = request;
  let changed = false;
  let last: CommandScan | null = null;
  let onlyCommands = false;
  const kept: Message[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'user') {
      kept.push(message);
      continue;
    }
    const content: UserPart[] = [];
    let found = false;
    for (const part of message.content) {
      const scan = part.type === 'text' ? scanCommands(part.text, prefix) : null;
      if (!scan || part.type !== 'text') {
        content.push(part);
        continue;
      }
      found = true;
      if (i === messages.length - 1) last = mergeScans(last, scan);
      if (scan.rest !== '') content.push({ ...part, text: scan.rest });
    }
    if (!found) {
      kept.push(message);
      continue;
    }
    changed = true;
    if (content.length > 0) {
      kept.push({ role: 'user', content });
      // The reply to a question asked beside !/help or !/status began with Switchboard's note: not the model's words.
      const reply = messages[i + 1];
      if (reply?.role === 'assistant') {
        kept.push(withoutNote(reply));
        i++;
      }
    } else if (i === messages.length - 1) onlyCommands = true;
    // A turn of commands only was answered by Switchboard: that answer goes too.
    else if (messages[i + 1]?.role === 'assistant') i++;
  }
  return changed ? { stripped: { ...request, messages: kept }, last, onlyCommands } : null;
}

/** An assistant turn without the note Switchboard put at the head of its text (policy/command-note.ts). */
function withoutNote(message: Message & { role: 'assistant' }): Message {
  const first = message.content[0];
  if (first?.type !== 'text' || !first.text.startsWith(NOTE_HEAD)) return message;
  const end = first.text.indexOf(NOTE_RULE);
  if (end === -1) return message;
  const text = first.text.slice(end + NOTE_RULE.length);
  return { ...message, content: text === '' ? message.content.slice(1) : [{ ...first, text }, ...message.content.slice(1)] };
}

function mergeScans(into: CommandScan | null, scan: CommandScan): CommandScan {
  if (!into) return scan;
  return { commands: [...into.commands, ...scan.commands], written: [...into.written, ...scan.written], malformed: [...into.malformed, ...scan.malformed], rest: into.rest };
}

/** Switchboard's own answer to a turn of commands, as canonical content (no provider called it). */
export function commandAnswer(text: string, model: string): ChatResponse {
  return { id: '', model, content: [{ type: 'text', text }], finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } };
}

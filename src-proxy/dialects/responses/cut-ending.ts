/**
 * A Responses fast-path stream cut for looping (http/passthrough-loops.ts) must still end as a
 * whole answer. What the stream said so far is read only while loop detection watches it.
 */
import { withFields } from '../../wire/with-fields.ts';
import type { Usage } from '../../canonical/types.ts';
import { sseDataJson } from '../../http/send-passthrough.ts';
import { isRecord } from '../../wire/validate.ts';

const CREATED = Buffer.from('"type":"response.created"');
const ITEM_DONE = Buffer.from('"type":"response.output_item.done"');

/**
 * The answer so far of a Responses stream cut for looping, so its ending is a whole answer: the
 * notice as the last text delta, the open message's text, content part and item closed, and a
 * `response.completed` whose `output` holds every item so far (Codex reads the items; the SDK's
 * finalResponse() reads the completed response). Fed only while loop detection watches.
 */
export function createOutputSoFar() {
  let created: Record<string, unknown> | null = null;
  const done: Array<Record<string, unknown>> = [];
  let open: { itemId: string; outputIndex: number; contentIndex: number; text: string } | null = null;
  return {
    other(event: Buffer): void {
      if (created === null && event.indexOf(CREATED) !== -1) {
        const json = sseDataJson(event);
        if (isRecord(json?.response)) created = json.response;
      } else if (event.indexOf(ITEM_DONE) !== -1) {
        const json = sseDataJson(event);
        if (isRecord(json?.item)) {
          done.push(json.item);
          if (open && json.item.id === open.itemId) open = null;
        }
      }
    },
    delta(event: Buffer, text: string): void {
      if (open === null) {
        const json = sseDataJson(event);
        open = {
          itemId: typeof json?.item_id === 'string' ? json.item_id : 'msg_switchboard',
          outputIndex: typeof json?.output_index === 'number' ? json.output_index : done.length,
          contentIndex: typeof json?.content_index === 'number' ? json.content_index : 0,
          text: '',
        };
      }
      open.text += text;
    },
    end(notice: string, meta: { id: string; usage: Partial<Usage> | null }) {
      const at = open ?? { itemId: 'msg_switchboard', outputIndex: done.length, contentIndex: 0, text: '' };
      const place = { item_id: at.itemId, output_index: at.outputIndex, content_index: at.contentIndex };
      const text = at.text + notice;
      const part = { type: 'output_text', text, annotations: [] };
      const item = { type: 'message', id: at.itemId, status: 'completed', role: 'assistant', content: [part] };
      const events = [
        { type: 'response.output_text.delta', ...place, delta: notice, logprobs: [] },
        { type: 'response.output_text.done', ...place, text, logprobs: [] },
        { type: 'response.content_part.done', ...place, part },
        { type: 'response.output_item.done', output_index: at.outputIndex, item },
      ];
      const usage = meta.usage ? { input_tokens: meta.usage.inputTokens ?? 0, output_tokens: meta.usage.outputTokens ?? 0, total_tokens: (meta.usage.inputTokens ?? 0) + (meta.usage.outputTokens ?? 0) } : null;
      const response = withFields(created ?? { id: meta.id, object: 'response' }, { status: 'completed', output: [...done, item], usage });
      return { events, response };
    },
  };
}

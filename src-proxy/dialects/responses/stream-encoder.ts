/**
 * Canonical events → Responses SSE, in the order strict clients check (docs/wire-formats.md, "OpenAI Responses"):
 * response.created, response.in_progress, then per output item output_item.added → (content
 * part / summary part added → deltas → done) → output_item.done, and one terminal event
 * (response.completed / response.incomplete, or error + response.failed). Every event has
 * `sequence_number` and both `event:` and `data:` lines.
 *
 * Items never interleave: Chat upstreams stream parallel tool calls' argument fragments
 * interleaved, so a call that starts while another is still open is buffered and emitted, whole,
 * once the earlier one is done. Codex reads calls only from `output_item.done`, whose item is
 * always complete.
 */
import type { FinishReason, Signature, StreamEvent, Usage } from '../../canonical/types.ts';
import { makeId } from '../../canonical/ids.ts';
import type { GatewayError } from '../../errors/codes.ts';
import type { StreamEncoder } from '../../http/send-stream.ts';
import { responsesErrorCode, responsesErrorMessage, sseEvent } from './errors.ts';
import type { ClientToolName } from './parse-tools.ts';
import { withFields } from '../../wire/with-fields.ts';
import {
  callItem, customInput, messageItem, reasoningItem, responseObject, statusOf,
  type OutputItem, type ResponseMeta,
} from './response-object.ts';
import { mergeUsage } from '../../canonical/usage.ts';

interface OpenBlock {
  kind: 'message' | 'reasoning';
  index: number;
  id: string;
  /** The deltas' text, joined once when the block closes (a flat string, not one cons per delta). */
  texts: string[];
  /** Start of this block's delta events, up to the sequence number. */
  deltaHead: string;
  /** What follows the sequence number up to the delta's JSON string (the same for every delta of the block). */
  deltaMid: string;
  /** What follows the delta's JSON string, to the event's end. */
  deltaTail: string;
  sealed: { signature: Signature; redacted: boolean } | null;
}

interface CallState {
  id: string;
  callId: string;
  name: string;
  args: string;
  custom: boolean;
  outputIndex: number;
  live: boolean;
  ended: boolean;
  done: boolean;
}

export interface ResponsesEncoderOptions {
  meta: ResponseMeta;
  naming: ReadonlyMap<string, ClientToolName>;
  /**
   * Called with the final response object right before the terminal event is written, and its
   * JSON as that event carries it (byte for byte JSON.stringify of the object).
   */
  onComplete?(response: Record<string, unknown>, json: string): void;
}

/** outputTextPart's JSON around text already escaped as the inside of a JSON string. */
const textPartJson = (escaped: string) => `{"type":"output_text","text":"${escaped}","annotations":[],"logprobs":[]}`;

export function createResponsesEncoder(options: ResponsesEncoderOptions): StreamEncoder {
  const { meta, naming } = options;
  let seq = 0;
  let started = false;
  const output: OutputItem[] = [];
  /** Each finished item's JSON as its done event wrote it, so the final response reuses it. */
  const outputJson: Array<string | undefined> = [];
  let open: OpenBlock | null = null;
  const calls: CallState[] = [];
  const callsByIndex = new Map<number, CallState>();
  let usage: Partial<Usage> = {};
  let finish: FinishReason | null = null;

  const emit = (type: string, payload: Record<string, unknown>) => sseEvent(type, JSON.stringify({ type, sequence_number: seq++, ...payload }));

  function preamble(): string {
    if (started) return '';
    started = true;
    // One serialisation for both events (what emit would write for each, byte for byte).
    const shell = JSON.stringify(responseObject(meta, 'in_progress', []));
    const event = (type: string) => sseEvent(type, `{"type":"${type}","sequence_number":${seq++},"response":${shell}}`);
    return event('response.created') + event('response.in_progress');
  }

  function openBlock(kind: OpenBlock['kind']): string {
    const index = output.length;
    const id = makeId(kind === 'message' ? 'msg_' : 'rs_');
    const deltaType = kind === 'message' ? 'response.output_text.delta' : 'response.reasoning_summary_text.delta';
    const where = kind === 'message' ? '"content_index":0' : '"summary_index":0';
    open = {
      kind, index, id, texts: [], sealed: null,
      deltaHead: `event: ${deltaType}\ndata: {"type":"${deltaType}","sequence_number":`,
      deltaMid: `,"item_id":"${id}","output_index":${index},${where},"delta":`,
      deltaTail: kind === 'message' ? ',"logprobs":[]}\n\n' : '}\n\n',
    };
    if (kind === 'message') {
      output.push(messageItem(id, '', 'in_progress'));
      // What emit writes for these two, byte for byte (ids are [A-Za-z0-9_-]: nothing to escape),
      // without an object and a serialisation per event.
      const ids = `"output_index":${index},"item":{"type":"message","id":"${id}","status":"in_progress","role":"assistant","content":[]}}`;
      return sseEvent('response.output_item.added', `{"type":"response.output_item.added","sequence_number":${seq++},${ids}`)
        + sseEvent('response.content_part.added', `{"type":"response.content_part.added","sequence_number":${seq++},"item_id":"${id}","output_index":${index},"content_index":0,"part":${textPartJson('')}}`);
    }
    const item = { type: 'reasoning', id, summary: [] };
    output.push(item);
    return emit('response.output_item.added', { output_index: index, item })
      + emit('response.reasoning_summary_part.added', { item_id: id, output_index: index, summary_index: 0, part: { type: 'summary_text', text: '' } });
  }

  /** A delta event from its block's fixed parts: four joins per event instead of twelve (each a cons string to build and later flatten). */
  function delta(block: OpenBlock, text: string): string {
    block.texts.push(text);
    return block.deltaHead + seq++ + block.deltaMid + JSON.stringify(text) + block.deltaTail;
  }

  function closeOpen(): string {
    const block = open;
    if (!block) return '';
    open = null;
    const text = block.texts.join('');
    if (block.kind === 'message') {
      output[block.index] = messageItem(block.id, text, 'completed');
      // The text is serialised once for the three events that repeat it (and the final response).
      const escaped = JSON.stringify(text).slice(1, -1);
      const part = textPartJson(escaped);
      const item = `{"type":"message","id":"${block.id}","status":"completed","role":"assistant","content":[${part}]}`;
      outputJson[block.index] = item;
      const where = `"item_id":"${block.id}","output_index":${block.index},"content_index":0`;
      return sseEvent('response.output_text.done', `{"type":"response.output_text.done","sequence_number":${seq++},${where},"text":"${escaped}","logprobs":[]}`)
        + sseEvent('response.content_part.done', `{"type":"response.content_part.done","sequence_number":${seq++},${where},"part":${part}}`)
        + sseEvent('response.output_item.done', `{"type":"response.output_item.done","sequence_number":${seq++},"output_index":${block.index},"item":${item}}`);
    }
    const item = reasoningItem(block.id, text, block.sealed);
    output[block.index] = item;
    // The ids written out in each event, no `{ ...ids, … }`: a spread that adds keys costs a hidden class per evaluation (wire/with-fields.ts).
    return emit('response.reasoning_summary_text.done', { item_id: block.id, output_index: block.index, summary_index: 0, text })
      + emit('response.reasoning_summary_part.done', { item_id: block.id, output_index: block.index, summary_index: 0, part: { type: 'summary_text', text } })
      + emit('response.output_item.done', { output_index: block.index, item });
  }

  /** A reasoning item with no readable text (signature or redacted reasoning only). */
  function sealedReasoning(sealed: { signature: Signature; redacted: boolean }): string {
    const index = output.length;
    const item = reasoningItem(makeId('rs_'), null, sealed);
    output.push(item);
    return emit('response.output_item.added', { output_index: index, item: withFields(item, { encrypted_content: undefined }) })
      + emit('response.output_item.done', { output_index: index, item });
  }

  function goLive(call: CallState): string {
    call.live = true;
    call.outputIndex = output.length;
    output.push(callItem(call.id, call.callId, call.name, '', naming, 'in_progress'));
    let out = emit('response.output_item.added', { output_index: call.outputIndex, item: output[call.outputIndex] });
    if (call.args && !call.custom) out += emit('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta: call.args });
    return out;
  }

  function finishCall(call: CallState): string {
    call.done = true;
    const args = call.args || '{}';
    const item = callItem(call.id, call.callId, call.name, args, naming, 'completed');
    output[call.outputIndex] = item;
    const body = call.custom
      ? emit('response.custom_tool_call_input.delta', { item_id: call.id, output_index: call.outputIndex, delta: customInput(args) })
        + emit('response.custom_tool_call_input.done', { item_id: call.id, output_index: call.outputIndex, input: item.input })
      : emit('response.function_call_arguments.done', { item_id: call.id, output_index: call.outputIndex, name: item.name, arguments: args });
    return body + emit('response.output_item.done', { output_index: call.outputIndex, item });
  }

  /** Emits every call that is ready, in order; with `all`, also the ones still open. */
  function advanceCalls(all: boolean): string {
    let out = '';
    for (const call of calls) {
      if (call.done) continue;
      if (!call.live) out += goLive(call);
      if (!call.ended && !all) break;
      out += finishCall(call);
    }
    return out;
  }

  /**
   * The final response's JSON, as JSON.stringify writes it, with each finished message item's
   * JSON reused from its done event instead of serialising the answer's text once more.
   */
  function responseJson(response: Record<string, unknown>): string {
    if (!outputJson.some((json) => json !== undefined)) return JSON.stringify(response);
    // The shell's only "output":[] is the top-level key: the fields before it are scalars, the
    // model's string (a quote inside it is escaped) and error/incomplete_details (no such key).
    const shell = JSON.stringify(withFields(response, { output: [] }));
    const at = shell.indexOf('"output":[]');
    const items = output.map((item, index) => outputJson[index] ?? JSON.stringify(item)).join(',');
    return `${shell.slice(0, at)}"output":[${items}]${shell.slice(at + 11)}`;
  }

  return {
    contentType: 'text/event-stream; charset=utf-8',
    encode(event: StreamEvent): string {
      let out = preamble();
      switch (event.type) {
        case 'text_delta':
        case 'thinking_delta': {
          if (!event.text) return out;
          const kind = event.type === 'text_delta' ? 'message' : 'reasoning';
          if (open?.kind !== kind || open.sealed) out += closeOpen() + advanceCalls(true) + openBlock(kind);
          return out + delta(open!, event.text);
        }
        case 'thinking_signature':
          if (open?.kind === 'reasoning' && !open.sealed) {
            open.sealed = { signature: event.signature, redacted: false };
            return out + closeOpen();
          }
          return out + closeOpen() + advanceCalls(true) + sealedReasoning({ signature: event.signature, redacted: false });
        case 'redacted_thinking':
          return out + closeOpen() + advanceCalls(true) + sealedReasoning({ signature: event.data, redacted: true });
        case 'tool_call_start': {
          out += closeOpen();
          const call: CallState = {
            id: makeId('fc_'), callId: event.id, name: event.name, args: '', custom: naming.get(event.name)?.custom === true,
            outputIndex: -1, live: false, ended: false, done: false,
          };
          calls.push(call);
          callsByIndex.set(event.index, call);
          return out + advanceCalls(false);
        }
        case 'tool_call_delta': {
          const call = callsByIndex.get(event.index);
          if (!call || !event.arguments) return out;
          call.args += event.arguments;
          if (!call.live || call.done || call.custom) return out;
          return out + emit('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta: event.arguments });
        }
        case 'tool_call_end': {
          const call = callsByIndex.get(event.index);
          if (call) call.ended = true;
          return out + advanceCalls(false);
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return out;
        case 'finish':
          finish = event.reason;
          return out;
        default:
          return out;
      }
    },
    end(): string {
      const out = preamble() + closeOpen() + advanceCalls(true);
      const { status, incompleteReason } = statusOf(finish);
      const response = responseObject(meta, status, output, { usage, incompleteReason });
      const json = responseJson(response);
      options.onComplete?.(response, json);
      const type = status === 'completed' ? 'response.completed' : 'response.incomplete';
      return out + sseEvent(type, `{"type":"${type}","sequence_number":${seq++},"response":${json}}`);
    },
    error(error: GatewayError): string {
      const code = responsesErrorCode(error);
      const message = responsesErrorMessage(error);
      const response = responseObject(meta, 'failed', output, { usage, error: { code, message } });
      return preamble() + emit('error', { code, message, param: error.param ?? null }) + emit('response.failed', { response });
    },
    ping: () => ': ping\n\n',
  };
}

/**
 * Canonical events → Anthropic Messages SSE, exactly as strict clients expect (docs/wire-formats.md, "Anthropic"):
 * one `message_start`; then blocks strictly one after another (content_block_start → deltas →
 * content_block_stop) with `index` counting every block from 0; then one `message_delta`
 * (stop_reason, cumulative usage) and `message_stop`. Every event has its `event:` line (the
 * TypeScript SDK ignores data without one).
 *
 * Upstreams of other dialects may interleave blocks: OpenAI streams parallel tool calls as
 * fragments of several calls at once. Anthropic blocks cannot overlap, so only the oldest open
 * block streams live; blocks opened after it buffer their deltas and are replayed, in order, as
 * soon as it closes. `message_delta` is only written at the end, when usage (which OpenAI sends
 * after the finish reason, in a choice-less chunk) is known (§8.6).
 */
import type { FinishReason, StreamEvent, Usage } from '../../canonical/types.ts';
import type { GatewayError } from '../../errors/codes.ts';
import type { StreamEncoder } from '../../http/send-stream.ts';
import { anthropicStopReason, anthropicUsage } from '../../wire/anthropic/messages.ts';
import { anthropicStreamError } from './errors.ts';
import { withFields } from '../../wire/with-fields.ts';
import { mergeUsage } from '../../canonical/usage.ts';

type BlockKind = 'text' | 'thinking' | 'tool_use' | 'redacted_thinking';

interface Block {
  index: number;
  kind: BlockKind;
  /** The content_block_start event. */
  start: string;
  /** Delta events not written yet. */
  pending: string[];
  ended: boolean;
  started: boolean;
}

const sse = (name: string, json: string) => `event: ${name}\ndata: ${json}\n\n`;

/**
 * `estimatedInputTokens`: said in `message_start` when the upstream has not reported input tokens
 * by then (every non-Anthropic upstream reports usage last). LangChain and others read input
 * tokens only there; `message_delta` carries the real count at the end.
 */
export function createAnthropicStreamEncoder(meta: { id: string; model: string; estimatedInputTokens?: number }): StreamEncoder {
  let messageStarted = false;
  let blockCount = 0;
  /** Blocks not closed yet, oldest first; only the head streams live. */
  const queue: Block[] = [];
  /** The text or thinking block that grows with the next delta of its kind. */
  let growing: Block | null = null;
  const tools = new Map<number, Block>();
  let finish: FinishReason = 'stop';
  let stopSequence: string | undefined;
  let usage: Partial<Usage> = {};

  function messageStart(): string {
    if (messageStarted) return '';
    messageStarted = true;
    const message = {
      id: meta.id,
      type: 'message',
      role: 'assistant',
      model: meta.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(usage.inputTokens === undefined ? withFields(usage, { inputTokens: meta.estimatedInputTokens ?? 0 }) : usage),
    };
    return sse('message_start', JSON.stringify({ type: 'message_start', message }));
  }

  function open(kind: BlockKind, contentBlock: string): Block {
    if (growing) growing.ended = true;
    const index = blockCount++;
    const block: Block = { index, kind, start: sse('content_block_start', `{"type":"content_block_start","index":${index},"content_block":${contentBlock}}`), pending: [], ended: false, started: false };
    queue.push(block);
    growing = kind === 'text' || kind === 'thinking' ? block : null;
    return block;
  }

  function delta(block: Block, deltaJson: string): void {
    block.pending.push(sse('content_block_delta', `{"type":"content_block_delta","index":${block.index},"delta":${deltaJson}}`));
  }

  /** Writes what the head block (and any finished blocks behind it) can write now. */
  function flush(): string {
    let out = '';
    while (queue.length > 0) {
      const head = queue[0]!;
      if (!head.started) {
        head.started = true;
        out += head.start;
      }
      if (head.pending.length > 0) {
        out += head.pending.join('');
        head.pending.length = 0;
      }
      if (!head.ended) break;
      out += sse('content_block_stop', `{"type":"content_block_stop","index":${head.index}}`);
      queue.shift();
    }
    return out;
  }

  function growingOf(kind: 'text' | 'thinking'): Block {
    if (growing?.kind === kind && !growing.ended) return growing;
    return open(kind, kind === 'text' ? '{"type":"text","text":""}' : '{"type":"thinking","thinking":"","signature":""}');
  }

  return {
    contentType: 'text/event-stream; charset=utf-8',
    encode(event: StreamEvent): string {
      switch (event.type) {
        case 'start':
          return messageStart();
        case 'text_delta':
          if (!event.text) return '';
          // Most of an answer: more text for the one block streaming live, nothing queued around it.
          if (growing !== null && growing.kind === 'text' && growing.started && !growing.ended && queue.length === 1) {
            return sse('content_block_delta', `{"type":"content_block_delta","index":${growing.index},"delta":{"type":"text_delta","text":${JSON.stringify(event.text)}}}`);
          }
          delta(growingOf('text'), `{"type":"text_delta","text":${JSON.stringify(event.text)}}`);
          break;
        case 'thinking_delta':
          if (!event.text) return '';
          delta(growingOf('thinking'), `{"type":"thinking_delta","thinking":${JSON.stringify(event.text)}}`);
          break;
        case 'thinking_signature': {
          // Only Anthropic's own signatures mean anything to an Anthropic client.
          if (event.signature.provider !== 'anthropic') return '';
          const block = growingOf('thinking');
          delta(block, `{"type":"signature_delta","signature":${JSON.stringify(event.signature.value)}}`);
          block.ended = true;
          growing = null;
          break;
        }
        case 'redacted_thinking':
          if (event.data.provider !== 'anthropic') return '';
          open('redacted_thinking', JSON.stringify({ type: 'redacted_thinking', data: event.data.value })).ended = true;
          break;
        case 'tool_call_start':
          tools.set(event.index, open('tool_use', `{"type":"tool_use","id":${JSON.stringify(event.id)},"name":${JSON.stringify(event.name)},"input":{}}`));
          break;
        case 'tool_call_delta': {
          const block = tools.get(event.index);
          if (!block || !event.arguments) return '';
          delta(block, `{"type":"input_json_delta","partial_json":${JSON.stringify(event.arguments)}}`);
          break;
        }
        case 'tool_call_end': {
          const block = tools.get(event.index);
          if (block) block.ended = true;
          break;
        }
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return '';
        case 'finish':
          finish = event.reason;
          stopSequence = event.stopSequence;
          return '';
        default:
          return '';
      }
      return messageStart() + flush();
    },
    end(): string {
      for (const block of queue) block.ended = true;
      const out = messageStart() + flush();
      const messageDelta = {
        type: 'message_delta',
        delta: { stop_reason: anthropicStopReason(finish, stopSequence), stop_sequence: stopSequence ?? null },
        usage: anthropicUsage(usage),
      };
      return `${out}${sse('message_delta', JSON.stringify(messageDelta))}${sse('message_stop', '{"type":"message_stop"}')}`;
    },
    error: (error: GatewayError) => anthropicStreamError(error),
    ping: () => sse('ping', '{"type":"ping"}'),
  };
}

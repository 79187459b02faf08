/**
 * Events taken with poll() (canonical/buffered-events.ts) are exactly the events next() gives, in
 * the same order, through the upstream reader and the loop-detection tap — including a blocked
 * loop's closing events and the upstream being let go.
 */
import { describe, expect, it } from 'vitest';
import { pollOf } from '../../src-proxy/canonical/buffered-events.ts';
import type { StreamEvent } from '../../src-proxy/canonical/types.ts';
import { DEFAULT_LOOP_DETECTION } from '../../src-proxy/domain/guardrails.ts';
import { tapTextLoops } from '../../src-proxy/taps/text-loop-tap.ts';
import { EventQueue } from '../../src-proxy/upstream/event-queue.ts';
import { openAiStreamEvents } from '../../src-proxy/wire/openai/chat-events.ts';
import { inHand } from '../fixtures/in-hand.ts';

const head = '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m"';
const frame = (delta: string, finish = 'null') => `data: ${head},"choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`;
const SENTENCE = 'I will now check the configuration file again to make sure it is right. ';

function body(texts: string[]): string {
  return frame('{"role":"assistant","content":""}') + texts.map((t) => frame(`{"content":${JSON.stringify(t)}}`)).join('') + frame('{}', '"stop"') + `data: ${head},"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":7}}\n\ndata: [DONE]\n\n`;
}

/** The body in chunks of `size` bytes; records whether the reader let it go before its end. */
function upstream(text: string, size: number) {
  const state = { released: false };
  const bytes = Buffer.from(text);
  const iterable: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]() {
      let at = 0;
      return {
        async next() {
          if (at >= bytes.length) return { value: undefined, done: true };
          const chunk = bytes.subarray(at, at + size);
          at += size;
          return { value: chunk, done: false };
        },
        async return() {
          state.released = true;
          return { value: undefined, done: true };
        },
      };
    },
  };
  return { iterable, state };
}

async function withNext(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function withPoll(events: AsyncIterable<StreamEvent>): Promise<{ out: StreamEvent[]; polled: number }> {
  const iterator = events[Symbol.asyncIterator]();
  const poll = pollOf(iterator);
  expect(poll).not.toBeNull();
  const out: StreamEvent[] = [];
  let polled = 0;
  for (;;) {
    let event = poll!();
    if (event !== undefined) polled++;
    else {
      const result = await iterator.next();
      if (result.done) break;
      event = result.value;
    }
    out.push(event);
  }
  return { out, polled };
}

const settings = { ...DEFAULT_LOOP_DETECTION, enabled: true, mode: 'block' as const };
const hooks = { onLoop: () => undefined, estimateInput: () => 5, onEstimated: () => undefined };

describe('poll() hands over buffered events exactly as next() would', () => {
  for (const size of [16, 200, 100_000]) {
    it(`the upstream reader, chunks of ${size} bytes`, async () => {
      const text = body(Array.from({ length: 30 }, (_, i) => ` t${i}`));
      const expected = await withNext(openAiStreamEvents(upstream(text, size).iterable));
      const { out, polled } = await withPoll(openAiStreamEvents(upstream(text, size).iterable));
      expect(out).toEqual(expected);
      if (size === 100_000) expect(polled).toBeGreaterThan(25);
    });

    it(`the loop tap over it, a loop blocked mid-answer, chunks of ${size} bytes`, async () => {
      const text = body([...Array.from({ length: 5 }, (_, i) => `intro ${i} `), ...Array.from({ length: 12 }, () => SENTENCE), 'never reached']);
      const first = upstream(text, size);
      const expected = await withNext(tapTextLoops(openAiStreamEvents(first.iterable), settings, hooks));
      expect(expected.some((e) => e.type === 'text_delta' && e.text.includes('Switchboard stopped this answer'))).toBe(true);
      const second = upstream(text, size);
      const { out } = await withPoll(tapTextLoops(openAiStreamEvents(second.iterable), settings, hooks));
      expect(out).toEqual(expected);
      expect(second.state.released).toBe(first.state.released);
    });
  }

  it('the upstream reader takes body chunks already received with poll too, not one await each', async () => {
    const text = body(Array.from({ length: 30 }, (_, i) => ` t${i}`));
    const frames = text.split(/(?<=\n\n)/).map((frame) => Buffer.from(frame));
    const expected = await withNext(openAiStreamEvents(inHand(frames).iterable));
    const upstreamBody = inHand(frames);
    const { out, polled } = await withPoll(openAiStreamEvents(upstreamBody.iterable));
    expect(out).toEqual(expected);
    expect(expected.filter((e) => e.type === 'text_delta')).toHaveLength(30);
    // The first read waits; every later frame was in hand (the end is found by one more read).
    expect(polled).toBeGreaterThan(30);
    expect(upstreamBody.state.awaited).toBeLessThanOrEqual(2);
  });

  it('a chunk taken with poll that fails to convert fails next(), after the events before it', async () => {
    const chunks = ['a', 'b', 'bad', 'c'].map((t) => Buffer.from(t));
    const upstreamBody = inHand(chunks);
    const queue = new EventQueue(upstreamBody.iterable, {
      chunk(chunk, events) {
        if (chunk.toString() === 'bad') throw new Error('damaged frame');
        events.push({ type: 'text_delta', text: chunk.toString() });
        return false;
      },
      end: () => [{ type: 'finish', reason: 'stop' }],
    });
    const seen: string[] = [];
    const first = await queue.next();
    seen.push((first.value as { text: string }).text);
    for (let event = queue.poll(); event !== undefined; event = queue.poll()) seen.push((event as { text: string }).text);
    expect(seen).toEqual(['a', 'b']);
    await expect(queue.next()).rejects.toThrow('damaged frame');
  });

  it('a chunk that fails partway yields none of its events, whether read with next() or poll()', async () => {
    // The converter appends to the queue's batch as it goes: the events it added before the throw must not be served.
    const converter = {
      chunk(chunk: Buffer, events: { push(event: StreamEvent): void }) {
        for (const text of chunk.toString().split(',')) {
          if (text === 'bad') throw new Error('damaged frame');
          events.push({ type: 'text_delta', text });
        }
        return false;
      },
      end: (): StreamEvent[] => [{ type: 'finish', reason: 'stop' }],
    };
    const texts = (events: StreamEvent[]) => events.map((e) => (e.type === 'text_delta' ? e.text : e.type));
    for (const reading of ['next', 'poll'] as const) {
      const upstreamBody = inHand(['a,b', 'c,bad,d', 'e'].map((t) => Buffer.from(t)));
      const queue = new EventQueue(upstreamBody.iterable, converter);
      const seen: StreamEvent[] = [(await queue.next()).value as StreamEvent];
      if (reading === 'poll') for (let event = queue.poll(); event !== undefined; event = queue.poll()) seen.push(event);
      else seen.push((await queue.next()).value as StreamEvent);
      expect(texts(seen)).toEqual(['a', 'b']);
      await expect(queue.next()).rejects.toThrow('damaged frame');
    }
  });
});


/**
 * The text loop detector as a tap on the canonical event stream. Mode block ends the answer
 * where the loop was found: the upstream is let go, a short notice is the answer's last text and
 * the answer finishes normally (stop), so every front door renders it with its own renderer and
 * the agent sees a complete answer. The upstream's last usage report never comes then: what it
 * reported is kept and the rest estimated (the history row says so). Mode warn only records.
 * The finding goes to the history row.
 *
 * A plain iterator rather than an async generator: every translated stream passes each of its
 * events through here, and a generator layer costs a resume plus promise hops per event.
 */
import { pollOf, type BufferedEvents } from '../canonical/buffered-events.ts';
import type { StreamEvent, Usage } from '../canonical/types.ts';
import type { LoopDetectionSettings, LoopFinding } from '../domain/guardrails.ts';
import { createTextLoopDetector, type TextLoop, type TextLoopDetector } from './text-loop-detector.ts';
import { mergeUsage } from '../canonical/usage.ts';

/** How much of the repeated passage a history row keeps. */
const SHOWN = 120;

export function loopNotice(count: number): string {
  return `\n\n[Switchboard stopped this answer: the same passage repeated ${count} times. Ask again, or rephrase, to continue.]`;
}

/** The history row's finding for a loop the detector returned. */
export function describeLoop(loop: TextLoop, block: boolean): LoopFinding {
  const what = loop.unit.length > SHOWN ? `${loop.unit.slice(0, SHOWN)}…` : loop.unit;
  return { kind: 'text', what, count: loop.count, action: block ? 'blocked' : 'warned' };
}

export interface TextLoopHooks {
  onLoop(finding: LoopFinding): void;
  /** The request's input tokens, estimated, for an answer cut before the upstream reported them. */
  estimateInput(): number;
  /** The usage of a cut answer is (partly) an estimate. */
  onEstimated(): void;
}

export function tapTextLoops(events: AsyncIterable<StreamEvent>, settings: LoopDetectionSettings, hooks: TextLoopHooks): AsyncIterableIterator<StreamEvent> {
  return new TextLoopTap(events, settings, hooks);
}

const DONE: IteratorResult<StreamEvent> = { value: undefined, done: true };

class TextLoopTap implements AsyncIterableIterator<StreamEvent>, BufferedEvents {
  private readonly detector: TextLoopDetector;
  private readonly block: boolean;
  private iterator: AsyncIterator<StreamEvent> | null = null;
  private pollInner: (() => StreamEvent | undefined) | null = null;
  /** What is left to say once a loop was blocked (the notice, the usage, the finish); then the upstream is let go. */
  private closing: StreamEvent[] | null = null;
  private finished = false;
  /** What the upstream reported so far, and the answer's characters let through (for the estimate). */
  private reported: Partial<Usage> = {};
  private chars = 0;

  constructor(
    private readonly events: AsyncIterable<StreamEvent>,
    settings: LoopDetectionSettings,
    private readonly hooks: TextLoopHooks,
  ) {
    this.detector = createTextLoopDetector({ minLength: settings.minPatternLength, maxLength: settings.maxPatternLength, repetitions: settings.minRepetitions });
    this.block = settings.mode === 'block';
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.closing) {
      const event = this.closing.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      return this.return();
    }
    if (this.finished) return Promise.resolve(DONE);
    return this.inner().next().then((result) => {
      if (result.done) {
        this.finished = true;
        this.detector.release();
        return result;
      }
      const event = this.see(result.value);
      return event === result.value ? result : { value: event, done: false };
    });
  }

  /** An event the upstream reader already holds, seen as next() would see it (BufferedEvents). */
  poll(): StreamEvent | undefined {
    // A blocked loop's closing events, and the end, go through next().
    if (this.closing || this.finished) return undefined;
    this.inner();
    const event = this.pollInner?.();
    return event === undefined ? undefined : this.see(event);
  }

  private inner(): AsyncIterator<StreamEvent> {
    if (!this.iterator) {
      this.iterator = this.events[Symbol.asyncIterator]();
      this.pollInner = pollOf(this.iterator);
    }
    return this.iterator;
  }

  /** The event as the consumer gets it (the same object unless a blocked loop cut its text). */
  private see(event: StreamEvent): StreamEvent {
    if (event.type === 'usage') this.reported = mergeUsage(this.reported, event.usage);
    if (event.type !== 'text_delta') return event;
    const loop = this.detector.push(event.text);
    if (!loop) {
      this.chars += event.text.length;
      return event;
    }
    this.hooks.onLoop(describeLoop(loop, this.block));
    if (!this.block) {
      this.chars += event.text.length;
      return event;
    }
    // Blocking, the text stops where the loop completed (a whole answer arrives as one delta).
    const kept = loop.end < event.text.length ? event.text.slice(0, loop.end) : event.text;
    this.chars += kept.length;
    const reported = this.reported;
    this.closing = [
      { type: 'text_delta', text: loopNotice(loop.count) },
      { type: 'usage', usage: { ...reported, inputTokens: reported.inputTokens ?? this.hooks.estimateInput(), outputTokens: Math.max(reported.outputTokens ?? 0, Math.ceil(this.chars / 4)) } },
      { type: 'finish', reason: 'stop' },
    ];
    this.hooks.onEstimated();
    this.detector.release();
    return kept === event.text ? event : { type: 'text_delta', text: kept };
  }

  /** The consumer stopped (or the blocked answer ended): the upstream is let go. */
  async return(): Promise<IteratorResult<StreamEvent>> {
    this.closing = null;
    this.detector.release();
    if (this.finished) return DONE;
    this.finished = true;
    await this.iterator?.return?.();
    return DONE;
  }
}

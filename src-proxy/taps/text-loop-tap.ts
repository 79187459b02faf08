/**
 * The text loop detector as a tap on the canonical event stream. Mode block ends the answer
 * where the loop was found: the upstream is let go, a short notice is the answer's last text and
 * the answer finishes normally (stop), so every front door renders it with its own renderer and
 * the agent sees a complete answer. Mode warn only records. The finding goes to the history row.
 *
 * A plain iterator rather than an async generator: every translated stream passes each of its
 * events through here, and a generator layer costs a resume plus promise hops per event.
 */
import type { StreamEvent } from '../canonical/types.ts';
import type { LoopDetectionSettings, LoopFinding } from '../domain/guardrails.ts';
import { createTextLoopDetector, type TextLoopDetector } from './text-loop-detector.ts';

/** How much of the repeated passage a history row keeps. */
const SHOWN = 120;

export function loopNotice(count: number): string {
  return `\n\n[Switchboard stopped this answer: the same passage repeated ${count} times. Ask again, or rephrase, to continue.]`;
}

export function tapTextLoops(events: AsyncIterable<StreamEvent>, settings: LoopDetectionSettings, onLoop: (finding: LoopFinding) => void): AsyncIterableIterator<StreamEvent> {
  return new TextLoopTap(events, settings, onLoop);
}

const DONE: IteratorResult<StreamEvent> = { value: undefined, done: true };

class TextLoopTap implements AsyncIterableIterator<StreamEvent> {
  private readonly detector: TextLoopDetector;
  private readonly block: boolean;
  private iterator: AsyncIterator<StreamEvent> | null = null;
  /** What is left to say once a loop was blocked (the notice, the finish); then the upstream is let go. */
  private closing: StreamEvent[] | null = null;
  private finished = false;

  constructor(
    private readonly events: AsyncIterable<StreamEvent>,
    settings: LoopDetectionSettings,
    private readonly onLoop: (finding: LoopFinding) => void,
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
    this.iterator ??= this.events[Symbol.asyncIterator]();
    return this.iterator.next().then((result) => {
      if (result.done) {
        this.finished = true;
        return result;
      }
      return this.see(result);
    });
  }

  private see(result: IteratorYieldResult<StreamEvent>): IteratorResult<StreamEvent> {
    const event = result.value;
    if (event.type !== 'text_delta') return result;
    const loop = this.detector.push(event.text);
    if (!loop) return result;
    const what = loop.unit.length > SHOWN ? `${loop.unit.slice(0, SHOWN)}…` : loop.unit;
    this.onLoop({ kind: 'text', what, count: loop.count, action: this.block ? 'blocked' : 'warned' });
    if (!this.block) return result;
    // Blocking, the text stops where the loop completed (a whole answer arrives as one delta).
    this.closing = [{ type: 'text_delta', text: loopNotice(loop.count) }, { type: 'finish', reason: 'stop' }];
    return { value: loop.end < event.text.length ? { type: 'text_delta', text: event.text.slice(0, loop.end) } : event, done: false };
  }

  /** The consumer stopped (or the blocked answer ended): the upstream is let go. */
  async return(): Promise<IteratorResult<StreamEvent>> {
    this.closing = null;
    if (this.finished) return DONE;
    this.finished = true;
    await this.iterator?.return?.();
    return DONE;
  }
}

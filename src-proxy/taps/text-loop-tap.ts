/**
 * The text loop detector as a tap on the canonical event stream. Mode block ends the answer
 * where the loop was found: the upstream is let go, a short notice is the answer's last text and
 * the answer finishes normally (stop), so every front door renders it with its own renderer and
 * the agent sees a complete answer. Mode warn only records. The finding goes to the history row.
 */
import type { StreamEvent } from '../canonical/types.ts';
import type { LoopDetectionSettings, LoopFinding } from '../domain/guardrails.ts';
import { createTextLoopDetector } from './text-loop-detector.ts';

/** How much of the repeated passage a history row keeps. */
const SHOWN = 120;

export function loopNotice(count: number): string {
  return `\n\n[Switchboard stopped this answer: the same passage repeated ${count} times. Ask again, or rephrase, to continue.]`;
}

export async function* tapTextLoops(
  events: AsyncIterable<StreamEvent>,
  settings: LoopDetectionSettings,
  onLoop: (finding: LoopFinding) => void,
): AsyncGenerator<StreamEvent> {
  const detector = createTextLoopDetector({ minLength: settings.minPatternLength, maxLength: settings.maxPatternLength, repetitions: settings.minRepetitions });
  const block = settings.mode === 'block';
  for await (const event of events) {
    if (event.type !== 'text_delta') {
      yield event;
      continue;
    }
    const loop = detector.push(event.text);
    if (!loop) {
      yield event;
      continue;
    }
    // Blocking, the text stops where the loop completed (a whole answer arrives as one delta).
    yield block && loop.end < event.text.length ? { type: 'text_delta', text: event.text.slice(0, loop.end) } : event;
    const what = loop.unit.length > SHOWN ? `${loop.unit.slice(0, SHOWN)}…` : loop.unit;
    onLoop({ kind: 'text', what, count: loop.count, action: block ? 'blocked' : 'warned' });
    if (!block) continue;
    yield { type: 'text_delta', text: loopNotice(loop.count) };
    yield { type: 'finish', reason: 'stop' };
    return;
  }
}

/**
 * Text loop detection on the same-dialect fast path: the answer text each forwarded frame holds
 * (the dialect's tap reads it with a byte search, no parse) goes through the same detector as
 * the translated path's tap (taps/text-loop-tap.ts). Mode block cuts the stream after the frame
 * that completed the loop: the dialect's tap writes the notice as text and a normal finish, the
 * upstream is let go, and the usage it can no longer report is estimated. Mode warn records.
 */
import type { LoopWatch } from '../domain/guardrails.ts';
import { createTextLoopDetector } from '../taps/text-loop-detector.ts';
import { describeLoop } from '../taps/text-loop-tap.ts';
import { estimateRequestTokens } from './admit-call.ts';
import type { Exchange } from './exchange.ts';

export interface FrameLoops {
  /** Reads the frames' text: the index of the frame that completed a loop to cut at, or -1. */
  check(frames: readonly Buffer[]): number;
  /** Copies of the passage, once a loop was found. */
  readonly count: number;
  /** Characters of answer text read so far. */
  readonly chars: number;
  /** The answer is over: the detector's tables go back to their pool (taps/text-loop-detector.ts). */
  release(): void;
}

export function watchFrames(exchange: Exchange, watch: LoopWatch, text: (frame: Buffer) => string): FrameLoops {
  const { settings } = watch;
  const detector = createTextLoopDetector({ minLength: settings.minPatternLength, maxLength: settings.maxPatternLength, repetitions: settings.minRepetitions });
  const block = settings.mode === 'block';
  let chars = 0;
  let count = 0;
  return {
    check(frames) {
      if (count > 0) return -1;
      for (let i = 0; i < frames.length; i++) {
        const delta = text(frames[i]!);
        if (delta === '') continue;
        chars += delta.length;
        const loop = detector.push(delta);
        if (!loop) continue;
        count = loop.count;
        watch.onLoop(describeLoop(loop, block));
        if (!block) return -1;
        // The upstream's last usage report will not come: keep what it reported, estimate the rest.
        const reported = exchange.usage;
        exchange.setUsage({ inputTokens: reported?.inputTokens ?? estimateRequestTokens(exchange.request), outputTokens: Math.max(reported?.outputTokens ?? 0, Math.ceil(chars / 4)) });
        exchange.estimated = true;
        return i;
      }
      return -1;
    },
    get count() {
      return count;
    },
    get chars() {
      return chars;
    },
    release() {
      detector.release();
    },
  };
}

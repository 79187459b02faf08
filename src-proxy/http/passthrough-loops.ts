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
  // `count` and `chars` are plain fields, not getters: a getter in an object literal allocates an
  // old-space AccessorPair that keeps this stream alive through scavenges (http/send-passthrough.ts, OpenTap).
  const loops: FrameLoops & { count: number; chars: number } = {
    count: 0,
    chars: 0,
    check(frames) {
      if (loops.count > 0) return -1;
      for (let i = 0; i < frames.length; i++) {
        const delta = text(frames[i]!);
        if (delta === '') continue;
        loops.chars += delta.length;
        const loop = detector.push(delta);
        if (!loop) continue;
        loops.count = loop.count;
        watch.onLoop(describeLoop(loop, block));
        if (!block) return -1;
        // The upstream's last usage report will not come: keep what it reported, estimate the rest.
        const reported = exchange.usage;
        exchange.setUsage({ inputTokens: reported?.inputTokens ?? estimateRequestTokens(exchange.request), outputTokens: Math.max(reported?.outputTokens ?? 0, Math.ceil(loops.chars / 4)) });
        exchange.estimated = true;
        return i;
      }
      return -1;
    },
    release() {
      detector.release();
    },
  };
  return loops;
}

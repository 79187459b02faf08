/**
 * A cache miss answered on the fast path keeps its answer after the bytes went out: the exchange
 * holds what to do with them until then. An instance of a class, not a closure: with a closure in
 * the exchange's `keepAnswer` field, V8 (Node 20) pretenured under the bench's load and every such
 * request was promoted past the young generation — its socket objects, the exchange, routeChat's
 * frame: ~6 KB per miss more than without a cache, three times the GC time (README, Performance;
 * with --no-allocation-site-pretenuring the closure promoted no more than this class).
 * test/perf/cache-miss-retention.test.ts measures it the bench's way (bench/profile-promoted.mjs).
 */
import type { StreamEvent } from '../canonical/types.ts';

/** What the fast path hands the whole answer's bytes to (Exchange.keepAnswer). */
export interface AnswerKeep {
  keep(bytes: Buffer): void;
}

/** The cache session's side of it (cache/cache-step.ts CacheSession.keep). */
interface KeepingSession {
  keep(read: () => AsyncIterable<StreamEvent> | Iterable<StreamEvent>, answeredBy: () => { provider: string | null; model: string | null }): Promise<void>;
}

/** Who answered, read when the answer is kept (the exchange's provider and upstream model). */
interface Answered {
  readonly provider: string | null;
  readonly upstreamModel: string | null;
}

/** Reads the bytes back into canonical events (the front door's AnswerReader) and keeps them. */
export class FastPathAnswerKeep implements AnswerKeep {
  constructor(
    private readonly session: KeepingSession,
    private readonly read: (bytes: Buffer, stream: boolean) => AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
    private readonly stream: boolean,
    private readonly answered: Answered,
  ) {}

  keep(bytes: Buffer): void {
    const { answered } = this;
    void this.session.keep(() => this.read(bytes, this.stream), () => ({ provider: answered.provider, model: answered.upstreamModel }));
  }
}

/**
 * One upstream call read straight from undici's dispatch handler: the status and headers once
 * they arrive, then the body chunks as an async iterator. undici's `request()` wraps the same
 * handler in an AsyncResource, builds a Readable stream per answer and, for `for await`, an async
 * iterator over that stream — about half of undici's CPU per proxied request in a profile
 * (README, Performance). Here a chunk goes from the parser to the reader through an array.
 *
 * Backpressure: past HIGH_WATER buffered bytes undici's parser is paused (onData returns false)
 * and resumed once the reader took them. Abort: the caller's signal aborts the call, before or
 * after its headers. `closed` says the answer is over (ended, failed or destroyed); `onClose`
 * runs once then.
 */
import type { ConnectionProtocol } from './http2-pools.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { parseHeaders } from './undici-lean.ts';
import type { CallSignal } from './call-signal.ts';

const HIGH_WATER = 64 * 1024;

type Waiter = { resolve: (result: IteratorResult<Buffer>) => void; reject: (error: unknown) => void };

export interface AnswerHead {
  status: number;
  headers: IncomingHttpHeaders;
  body: DispatchedAnswer;
}

export class DispatchedAnswer implements AsyncIterable<Buffer>, AsyncIterator<Buffer> {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: unknown = null;
  private waiter: Waiter | null = null;
  private abortCall: ((reason?: Error) => void) | null = null;
  private resumeCall: (() => void) | null = null;
  private paused = false;
  private done = false;
  private head: { resolve: (head: AnswerHead) => void; reject: (error: unknown) => void } | null;
  /** Runs once when the answer is over. */
  onClose: (() => void) | null = null;
  /** Set by an HTTP/2-capable client (http2-pools.ts): the protocol of the connection that carries the call. */
  connection: ConnectionProtocol | null = null;
  /** The response head: resolves at the headers, rejects when the call fails before them. */
  readonly response: Promise<AnswerHead>;

  constructor(private readonly signal: CallSignal) {
    let head!: DispatchedAnswer['head'];
    this.response = new Promise<AnswerHead>((resolve, reject) => (head = { resolve, reject }));
    this.head = head;
  }

  private readonly onAbort = (): void => {
    this.abortCall?.(this.signal.reason as Error);
  };

  get closed(): boolean {
    return this.done;
  }

  /** True once the whole body arrived (whether or not it was read). */
  get complete(): boolean {
    return this.ended;
  }

  // undici's dispatch handler (called by the client that carries the call).
  onConnect(abort: (reason?: Error) => void): void {
    if (this.signal.aborted) {
      abort(this.signal.reason as Error);
      return;
    }
    this.abortCall = abort;
    this.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true;
    this.resumeCall = resume;
    const head = this.head;
    this.head = null;
    head?.resolve({ status, headers: parseHeaders(rawHeaders) as IncomingHttpHeaders, body: this });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return true;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter.resolve({ value: chunk, done: false });
      return true;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < HIGH_WATER) return true;
    this.paused = true;
    return false;
  }

  onComplete(): void {
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve({ value: undefined, done: true });
    if (this.chunks.length === 0) this.close();
  }

  onError(error: unknown): void {
    const head = this.head;
    this.head = null;
    if (head) {
      this.close();
      head.reject(error);
      return;
    }
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = null;
    this.chunks.length = 0;
    waiter?.reject(error);
    this.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.poll();
    if (chunk) return Promise.resolve({ value: chunk, done: false });
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.ended || this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /**
   * A chunk already received, taken without a promise (what next() would resolve to), else
   * undefined: then call next(). undici hands over each HTTP chunk of a read on its own, so a
   * fast upstream's whole answer can be here at once (send-passthrough.ts takes it in one go).
   */
  poll(): Buffer | undefined {
    const chunk = this.chunks.shift();
    if (!chunk) return undefined;
    this.buffered -= chunk.length;
    if (this.ended && this.chunks.length === 0) this.close();
    else if (this.paused && this.buffered < HIGH_WATER) {
      this.paused = false;
      this.resumeCall?.();
    }
    return chunk;
  }

  /** The reader stopped: the rest of the answer is not wanted. */
  return(): Promise<IteratorResult<Buffer>> {
    this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops the call (its connection is closed by undici) unless it already ended. */
  destroy(reason?: Error): void {
    if (this.done) return;
    const abort = this.abortCall;
    this.chunks.length = 0;
    const waiter = this.waiter;
    this.waiter = null;
    this.close();
    if (!this.ended) abort?.(reason);
    waiter?.reject(reason ?? new Error('The upstream answer was stopped before its end'));
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.signal.removeEventListener('abort', this.onAbort);
    const onClose = this.onClose;
    this.onClose = null;
    onClose?.();
  }
}

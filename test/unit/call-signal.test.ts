import { describe, expect, it } from 'vitest';
import { CallAbort, toAbortSignal } from '../../src-proxy/upstream/call-signal.ts';
import { GatewayError } from '../../src-proxy/errors/codes.ts';

describe('CallAbort: a request abort without an AbortSignal per request', () => {
  it('calls each listener once, in order, with the reason readable', () => {
    const abort = new CallAbort();
    const calls: string[] = [];
    const first = () => calls.push(`first ${(abort.signal.reason as GatewayError).code}`);
    const second = () => calls.push('second');
    const removed = () => calls.push('removed');
    abort.signal.addEventListener('abort', first, { once: true });
    abort.signal.addEventListener('abort', first);
    abort.signal.addEventListener('abort', removed);
    abort.signal.addEventListener('abort', second, { once: true });
    abort.signal.removeEventListener('abort', removed);
    expect(abort.signal.aborted).toBe(false);
    abort.abort(new GatewayError('client_closed'));
    abort.abort(new GatewayError('upstream_total_timeout'));
    expect(calls).toEqual(['first client_closed', 'second']);
    expect(abort.signal.aborted).toBe(true);
    expect((abort.signal.reason as GatewayError).code).toBe('client_closed');
    // Added after the abort: never called, as on an aborted AbortSignal.
    abort.signal.addEventListener('abort', () => calls.push('late'));
    expect(calls).toHaveLength(2);
  });

  it('aborts with an AbortError when given no reason', () => {
    const abort = new CallAbort();
    abort.abort();
    expect(abort.reason).toBeInstanceOf(DOMException);
    expect((abort.reason as DOMException).name).toBe('AbortError');
  });

  it('hands APIs that need one a real AbortSignal that follows it, made before or after the abort', () => {
    const before = new CallAbort();
    const real = toAbortSignal(before);
    expect(real).toBeInstanceOf(AbortSignal);
    expect(toAbortSignal(before)).toBe(real);
    let seen: unknown = null;
    real.addEventListener('abort', () => (seen = real.reason));
    const reason = new GatewayError('client_closed');
    before.abort(reason);
    expect(real.aborted).toBe(true);
    expect(seen).toBe(reason);

    const after = new CallAbort();
    after.abort(reason);
    expect(toAbortSignal(after).aborted).toBe(true);
    expect(toAbortSignal(after).reason).toBe(reason);

    const plain = new AbortController().signal;
    expect(toAbortSignal(plain)).toBe(plain);
  });
});

import { describe, expect, it } from 'vitest';
import { createControlEvents } from '../../src-proxy/control/events.ts';
import type { ControlEvent } from '../../src-proxy/control/contract.ts';
import { forwardLogEvents } from '../../src-proxy/gateway/log-events.ts';
import { createLogTail } from '../../src-proxy/log-tail.ts';
import { createLogger } from '../../src-proxy/logging.ts';

const pinoLine = (level: number, msg: string, extra: Record<string, unknown> = {}) => JSON.stringify({ level, time: 1, msg, ...extra });

describe('log tail', () => {
  it('keeps only the newest lines, in order, numbered', () => {
    const tail = createLogTail(3);
    for (let i = 1; i <= 5; i++) tail.write(pinoLine(30, `line ${i}`));
    expect(tail.read().map((entry) => [entry.seq, entry.msg])).toEqual([[3, 'line 3'], [4, 'line 4'], [5, 'line 5']]);
    expect(tail.read({ afterSeq: 4 }).map((entry) => entry.msg)).toEqual(['line 5']);
    expect(tail.read({ limit: 1 }).map((entry) => entry.msg)).toEqual(['line 5']);
  });

  it('filters by level and keeps other fields as key=value; a line that is not JSON is kept as text', () => {
    const tail = createLogTail();
    tail.write(pinoLine(20, 'debug'));
    tail.write(pinoLine(40, 'warn', { providerId: 'openai', n: 2 }));
    tail.write('plain text\n');
    expect(tail.read({ level: 'warn' })).toEqual([{ seq: 2, time: 1, level: 'warn', msg: 'warn', fields: 'providerId=openai n=2' }]);
    expect(tail.read().at(-1)).toMatchObject({ level: 'info', msg: 'plain text' });
  });

  it('receives what the logger writes, after redaction, at every level the logger lets through', () => {
    const tail = createLogTail();
    const out: string[] = [];
    const logger = createLogger({ format: 'json', level: 'debug', destination: { write: (line: string) => void out.push(line) }, tail });
    logger.debug({ apiKey: 'sk-secret-value-123456' }, 'hello');
    logger.trace('below the level');
    expect(tail.read()).toEqual([expect.objectContaining({ level: 'debug', msg: 'hello', fields: 'apiKey=[redacted]' })]);
    expect(out).toHaveLength(1);
  });
});

describe('log events', () => {
  it('batches new lines into one event per tick, only while someone listens', async () => {
    const tail = createLogTail();
    const events = createControlEvents();
    const stop = forwardLogEvents({ tail, events, onError: (error) => { throw error; } });
    tail.write(pinoLine(30, 'nobody listens'));
    const seen: ControlEvent[] = [];
    events.subscribe((event) => seen.push(event));
    tail.write(pinoLine(30, 'a'));
    tail.write(pinoLine(40, 'b'));
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ type: 'log', entries: [{ msg: 'a' }, { msg: 'b' }] });
    stop();
    tail.write(pinoLine(30, 'after stop'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(1);
  });

  it('a failing listener is reported once, not fed back into the stream', async () => {
    const tail = createLogTail();
    const events = createControlEvents();
    const failures: unknown[] = [];
    // A host that logs listener failures into the same tail (what createGateway's logger does).
    forwardLogEvents({ tail, events, onError: (error) => { failures.push(error); tail.write(pinoLine(40, 'listener failed')); } });
    events.subscribe(() => {
      throw new Error('broken listener');
    });
    tail.write(pinoLine(30, 'x'));
    await expect.poll(() => failures.length).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toHaveLength(1);
  });
});

import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../src-proxy/http/request-logger.ts';

function collectingLogger(level: string): { logger: FastifyBaseLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink) as unknown as FastifyBaseLogger, lines };
}

const until = async (check: () => boolean) => {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5000) throw new Error('condition not met in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('request.log made on first use', () => {
  let close: (() => Promise<unknown>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('logs what pino child logger would: the bindings, the level, further children', async () => {
    const { logger, lines } = collectingLogger('info');
    const log = lazyRequestLogger(logger, { reqId: 'req-7' }, {});
    expect(log.level).toBe('info');
    log.debug('not shown');
    log.error({ code: 'x' }, 'went wrong %s', 'here');
    log.child({ part: 'inner' }).warn('inner line');
    await until(() => lines.length >= 2);
    expect(lines).toMatchObject([
      { level: 50, reqId: 'req-7', code: 'x', msg: 'went wrong here' },
      { level: 40, reqId: 'req-7', part: 'inner', msg: 'inner line' },
    ]);
    expect(lines).toHaveLength(2);
    // A level set on the request's logger holds for it alone.
    log.level = 'debug';
    log.debug('now shown');
    await until(() => lines.length >= 3);
    expect(lines[2]).toMatchObject({ level: 20, reqId: 'req-7', msg: 'now shown' });
    expect(logger.level).toBe('info');
  });

  it('keeps a level the child was given', () => {
    const { logger } = collectingLogger('info');
    expect(lazyRequestLogger(logger, { reqId: 'r' }, { level: 'warn' }).level).toBe('warn');
  });

  it("is what Fastify hands a route as request.log, with the request's id bound", async () => {
    const { logger, lines } = collectingLogger('info');
    const app = Fastify({ loggerInstance: logger, disableRequestLogging: true, childLoggerFactory: lazyRequestLogger });
    close = () => app.close();
    app.get('/x', async (request) => {
      request.log.warn({ route: 'x' }, 'from the route');
      return { ok: true };
    });
    const response = await app.inject({ method: 'GET', url: '/x' });
    expect(response.statusCode).toBe(200);
    await until(() => lines.some((line) => line.msg === 'from the route'));
    const line = lines.find((entry) => entry.msg === 'from the route')!;
    expect(line).toMatchObject({ level: 40, route: 'x' });
    expect(typeof line.reqId).toBe('string');
    expect(line.reqId).not.toBe('');
  });
});

// @vitest-environment node
/**
 * The engine builds its validation schemas on first use (issue 18: start time; README,
 * Performance): a started gateway answering /health has built none of them, and the first
 * operation that needs one builds it and validates with it as an eagerly built schema would.
 * Test files run in their own module registry, so the count starts at zero here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { builtLazySchemas, lazySchema } from '../../src-proxy/domain/lazy-schema.ts';
import { settingsSchema } from '../../src-proxy/domain/settings.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-lazy-schemas-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('lazy schemas', () => {
  it('a started gateway has built no schema, and the first control call builds and validates with them', async () => {
    expect(builtLazySchemas()).toBe(0);
    const gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'silent' }) });
    try {
      const { port } = await gateway.start();
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(builtLazySchemas()).toBe(0);

      await expect(gateway.control.createProvider({ id: 'Not An Id', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' })).rejects.toMatchObject({ code: 'invalid_request' });
      expect(builtLazySchemas()).toBeGreaterThan(0);
      const provider = await gateway.control.createProvider({ id: 'p', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', enabled: false });
      expect(provider.id).toBe('p');
    } finally {
      await gateway.close({ drainTimeoutMs: 100 });
    }
  });

  it('a lazy schema is built once, at its first use, and answers as the schema it builds', () => {
    let builds = 0;
    const inner = lazySchema(() => {
      builds += 1;
      return z.string().min(2);
    });
    const outer = lazySchema(() => z.object({ name: inner }).strict());
    expect(builds).toBe(0);
    expect(outer.parse({ name: 'ab' })).toEqual({ name: 'ab' });
    expect(builds).toBe(1);
    expect(outer.safeParse({ name: 'a' }).error?.issues[0]?.path).toEqual(['name']);
    expect(outer.safeParse({ name: 'ab', extra: 1 }).success).toBe(false);
    expect(inner.optional().parse(undefined)).toBeUndefined();
    expect(outer).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(outer.shape)).toEqual(['name']);
    expect(builds).toBe(1);
  });

  it('the settings schema built lazily still reads each setting by its shape', () => {
    expect(settingsSchema.shape.port.safeParse(8080).success).toBe(true);
    expect(settingsSchema.shape.port.safeParse(70_000).success).toBe(false);
  });
});

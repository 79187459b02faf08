/**
 * Findings 4 and 10 (first half): secrets leave Switchboard only through the CLI reading the
 * data folder, never over the HTTP control API; a key or header value with a line break is
 * refused where it is entered, naming the line break.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src-proxy/cli/export-command.ts';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { errorOf } from '../fixtures/gateway-error.ts';

const CANARY_KEY = 'sk-canary-export-5f1d0a9e7b3c';
const ADMIN = 'admin-token-for-tests-0123456789abcdef';

describe('secrets never leave over the HTTP control API', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function serveWithDashboard(): Promise<{ gateway: Gateway; port: number; dataDir: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-export-'));
    const gateway = await createGateway({
      dataDir,
      port: 0,
      logger: pino({ level: 'silent' }),
      extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => ADMIN, staticDir: null }),
    });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => gateway.close());
    await gateway.control.createProvider({ id: 'p', kind: 'openai', baseUrl: 'https://api.example.com/v1' });
    await gateway.control.addKey({ providerId: 'p', secret: CANARY_KEY });
    const { port } = await gateway.start();
    return { gateway, port: port!, dataDir };
  }

  const exportOverHttp = (port: number, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/_switchboard/api/exportConfig`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-admin': ADMIN },
      body: JSON.stringify(body),
    });

  it('refuses exportConfig with includeSecrets over HTTP, with the admin token, and says how to export keys', async () => {
    const { port } = await serveWithDashboard();
    const response = await exportOverHttp(port, { includeSecrets: true });
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(text).not.toContain(CANARY_KEY);
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'secrets_not_exported' } });
    expect(JSON.parse(text).error.message).toContain('switchboard export --include-secrets');
  });

  it('still exports the configuration without secrets over HTTP', async () => {
    const { port } = await serveWithDashboard();
    const response = await exportOverHttp(port, {});
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text).result.providers[0].id).toBe('p');
    expect(text).not.toContain(CANARY_KEY);
  });

  it('lets the CLI on the same machine export the keys by reading the data folder', async () => {
    const { gateway, dataDir } = await serveWithDashboard();
    await gateway.close();
    let out = '';
    const io = { stdout: { write: (text: string) => void (out += text) }, stderr: { write: () => undefined }, env: {} };
    expect(runExportCommand(['--data-dir', dataDir, '--include-secrets'], io as never)).toBe(0);
    expect(out).toContain(CANARY_KEY);
  });
});

describe('keys and header values with a line break are refused at input', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function engine(): Promise<Gateway> {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-keyinput-'));
    const gateway = await createGateway({ dataDir, port: 0, logger: pino({ level: 'silent' }) });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => gateway.close());
    await gateway.control.createProvider({ id: 'p', kind: 'openai', baseUrl: 'https://api.example.com/v1' });
    return gateway;
  }

  it.each([
    ['a line feed', 'sk-abc\ndef'],
    ['a carriage return', 'sk-abc\rdef'],
    ['CR LF', 'sk-abc\r\ndef'],
  ])('addKey refuses a key with %s and the message names the line break', async (_label, secret) => {
    const gateway = await engine();
    const error = await errorOf(gateway.control.addKey({ providerId: 'p', secret }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/line break/);
    expect(error.message).not.toContain('sk-abc');
    expect(gateway.store.keys.list('p')).toHaveLength(0);
  });

  it('replaceKey and a config import refuse it too; a key with only a trailing newline (a paste) is trimmed', async () => {
    const gateway = await engine();
    const key = await gateway.control.addKey({ providerId: 'p', secret: 'sk-good-key\n' });
    expect(key.masked).not.toContain('\n');
    expect((await errorOf(gateway.control.replaceKey({ keyId: key.id, secret: 'sk-x\nz' }))).message).toMatch(/line break/);
    const imported = await errorOf(gateway.control.importConfig({ config: { providers: [{ id: 'q', kind: 'openai', baseUrl: 'https://q.example.com/v1', keys: ['sk-q\nq'] }] } }));
    expect(imported.message).toMatch(/providers\[0\]\.keys\[0\].*line break/);
  });

  it('a provider header value with a line break is refused (it would split the upstream request)', async () => {
    const gateway = await engine();
    const error = await errorOf(gateway.control.createProvider({ id: 'h', kind: 'openai', baseUrl: 'https://h.example.com/v1', headers: { 'x-extra': 'a\r\nx-injected: 1' } }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/line break/);
  });
});

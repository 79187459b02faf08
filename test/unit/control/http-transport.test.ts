import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminTokenMatches, registerControlHttp, resolveStaticFile } from '../../../src-proxy/control/http-transport.ts';
import { GatewayError } from '../../../src-proxy/errors/codes.ts';
import { createFakeControl } from '../../renderer/fake-control.ts';

const TOKEN = 'a'.repeat(43);
const apps: FastifyInstance[] = [];

function makeStaticDir() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dash-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret-outside.txt'), 'nope');
  return dir;
}

async function setup(options: { staticDir?: string | null } = {}) {
  const fake = createFakeControl({ seed: 'demo', historyRows: 5 });
  const app = Fastify();
  const routeConfigs: unknown[] = [];
  app.addHook('onRoute', (route) => void routeConfigs.push(route.config));
  registerControlHttp(app, { control: fake.api, events: fake.events, adminToken: () => TOKEN, staticDir: options.staticDir === undefined ? makeStaticDir() : options.staticDir, pingIntervalMs: 50 });
  await app.ready();
  apps.push(app);
  return { app, fake, routeConfigs };
}

const call = (app: FastifyInstance, operation: string, payload: unknown, token: string | null = TOKEN) =>
  app.inject({ method: 'POST', url: `/_switchboard/api/${operation}`, headers: token === null ? {} : { 'x-switchboard-admin': token }, payload: payload as object });

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('control API over HTTP', () => {
  it('answers an operation with { ok: true, result }', async () => {
    const { app } = await setup();
    const response = await call(app, 'listAliases', {});
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json().result.map((a: { alias: string }) => a.alias)).toContain('gpt-4o');
  });

  it('passes the validated request to the operation and returns null for void results', async () => {
    const { app, fake } = await setup();
    const response = await call(app, 'deleteAlias', { alias: 'gpt-4o' });
    expect(response.json()).toEqual({ ok: true, result: null });
    expect(fake.calls).toContainEqual(['deleteAlias', { alias: 'gpt-4o' }]);
  });

  it.each([
    ['no header', null],
    ['a wrong token', 'b'.repeat(43)],
    ['a token of another length', 'short'],
    ['an empty token', ''],
  ])('refuses %s with 401 invalid_admin_token', async (_label, token) => {
    const { app, fake } = await setup();
    const response = await call(app, 'listProviders', {}, token);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('invalid_admin_token');
    expect(fake.calls).toEqual([]);
  });

  it('answers 404 JSON for an unknown operation', async () => {
    const { app } = await setup();
    const response = await call(app, 'dropDatabase', {});
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('rejects an invalid payload with 400 naming the zod issue paths', async () => {
    const { app, fake } = await setup();
    const response = await call(app, 'createProvider', { id: 'Bad Id', kind: 'openai', baseUrl: 'not a url', extra: 1 });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('invalid_request');
    const paths = body.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'baseUrl']));
    expect(body.error.message).toContain('baseUrl');
    expect(fake.calls).toEqual([]);
  });

  it('turns a GatewayError into its status, code and message', async () => {
    const { app, fake } = await setup();
    fake.api.testProvider = async () => { throw new GatewayError('provider_not_found'); };
    const response = await call(app, 'testProvider', { providerId: 'nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ ok: false, error: { code: 'provider_not_found', message: 'No provider with this id is configured.' } });
  });

  it('answers a duplicate create with 409 already_exists and an issue naming the field', async () => {
    const { app } = await setup();
    const response = await call(app, 'createProvider', { id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'already_exists', issues: [{ path: 'id', message: expect.stringContaining('"openai" is taken') }] });
  });

  it('reads the admin token at every request, so a rotation takes effect at once', async () => {
    const fake = createFakeControl({ seed: 'demo', historyRows: 1 });
    let current = TOKEN;
    const app = Fastify();
    registerControlHttp(app, { control: fake.api, events: fake.events, adminToken: () => current, staticDir: null });
    apps.push(app);
    expect((await call(app, 'getStatus', {}, TOKEN)).statusCode).toBe(200);
    current = 'c'.repeat(43);
    expect((await call(app, 'getStatus', {}, TOKEN)).statusCode).toBe(401);
    expect((await call(app, 'getStatus', {}, current)).statusCode).toBe(200);
  });

  it('hides unexpected errors behind internal_error', async () => {
    const { app, fake } = await setup();
    fake.api.listModels = async () => { throw new Error('sqlite: disk I/O error at /secret/path'); };
    const response = await call(app, 'listModels', {});
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal_error');
    expect(response.body).not.toContain('/secret/path');
  });

  it('marks every route it registers as the control surface', async () => {
    const { routeConfigs } = await setup();
    expect(routeConfigs.length).toBeGreaterThanOrEqual(5);
    for (const config of routeConfigs) expect(config).toMatchObject({ surface: 'control' });
  });
});

describe('who is signed in', () => {
  it('names the admin token\'s holder "admin", and nobody without a valid token', async () => {
    const { app, fake } = await setup();
    const signedIn = await app.inject({ method: 'GET', url: '/_switchboard/session', headers: { 'x-switchboard-admin': TOKEN } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['cache-control']).toBe('no-store');
    expect(signedIn.json()).toEqual({ ok: true, result: { name: 'admin', via: 'admin-token' } });
    for (const headers of [{}, { 'x-switchboard-admin': 'b'.repeat(43) }]) {
      const refused = await app.inject({ method: 'GET', url: '/_switchboard/session', headers });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('invalid_admin_token');
    }
    expect(fake.calls).toEqual([]);
  });
});

describe('event stream', () => {
  it('needs the admin header', async () => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: '/_switchboard/events' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('invalid_admin_token');
  });

  it('streams the status first, then pushed events and pings, and unsubscribes on close', async () => {
    const { app, fake } = await setup();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${address}/_switchboard/events`, { headers: { 'x-switchboard-admin': TOKEN }, signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += decoder.decode((await reader.read()).value, { stream: true });
    };
    await readUntil('"type":"status"');
    expect(fake.events.listenerCount()).toBe(1);
    fake.events.emit({ type: 'history', rows: [] });
    await readUntil('"type":"history"');
    await readUntil(': ping');
    controller.abort();
    await expect.poll(() => fake.events.listenerCount()).toBe(0);
  });

  it('does not hold app.close() open', async () => {
    const { app } = await setup();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/_switchboard/events`, { headers: { 'x-switchboard-admin': TOKEN } });
    await response.body!.getReader().read();
    await app.close();
  });
});

describe('dashboard files', () => {
  it('serves index.html with no-store and a CSP that forbids framing', async () => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: '/_switchboard/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.body).toContain('<title>Switchboard</title>');
  });

  it('redirects /_switchboard to /_switchboard/ so relative assets resolve', async () => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: '/_switchboard' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/_switchboard/');
  });

  it('serves hashed assets with their type and a long cache', async () => {
    const { app } = await setup();
    const response = await app.inject({ method: 'GET', url: '/_switchboard/assets/app-123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/javascript');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it.each(['/_switchboard/../secret-outside.txt', '/_switchboard/%2e%2e/secret-outside.txt', '/_switchboard/assets/%2e%2e%2f%2e%2e%2fsecret-outside.txt', '/_switchboard/missing.js'])(
    'answers 404 for %s',
    async (url) => {
      const { app } = await setup();
      const response = await app.inject({ method: 'GET', url });
      expect(response.body).not.toContain('nope');
      expect(response.statusCode).toBe(404);
    },
  );

  it('explains how to build the dashboard when there is none', async () => {
    const { app } = await setup({ staticDir: null });
    const response = await app.inject({ method: 'GET', url: '/_switchboard/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('Run <code>npm run build:renderer</code>');
  });
});

describe('helpers', () => {
  it('compares admin tokens without throwing on length differences', () => {
    expect(adminTokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(adminTokenMatches(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(adminTokenMatches(TOKEN, undefined)).toBe(false);
    expect(adminTokenMatches(TOKEN, ['a'])).toBe(false);
  });

  it('keeps static paths inside the root', () => {
    expect(resolveStaticFile('/srv/dash', 'assets/a.js')).toBe('/srv/dash/assets/a.js');
    expect(resolveStaticFile('/srv/dash', '../etc/passwd')).toBeNull();
    expect(resolveStaticFile('/srv/dash', '/etc/passwd')).toBe('/srv/dash/etc/passwd');
    expect(resolveStaticFile('/srv/dash', 'a\0b')).toBeNull();
  });
});

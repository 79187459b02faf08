/**
 * Guardrails in the dashboard, in a real browser against the real engine (`serve` wiring) with a
 * fake OpenAI-compatible upstream and the official OpenAI SDK as the agent: a tool-call loop and
 * an in-chat command show in History (the loop row highlighted with what repeated, the command
 * named), History groups by session and opens one session's requests, and the Connect page lists
 * the in-chat commands. Screenshots go to test-results/e2e-guardrails (ignored).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/e2e-guardrails', import.meta.url));

let browser: Browser;
let page: Page;
let gateway: Gateway;
let upstream: FakeOpenAi;
let dataDir: string;
let origin: string;
let errors: string[];
let clientToken: string;
const adminToken = randomBytes(32).toString('base64url');

beforeAll(async () => {
  browser = await launchChromium();
  upstream = await startFakeOpenAi({ models: ['up-model'] });
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-guardrails-'));
  gateway = await createGateway({
    dataDir,
    port: 0,
    keepListenerWhenStopped: true,
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
  const status = await gateway.start();
  origin = `http://127.0.0.1:${status.port}`;
  await gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl });
  await gateway.control.addKey({ providerId: 'fake', secret: 'sk-fake' });
  await gateway.control.createAlias({ alias: 'agent-model', targets: [{ provider: 'fake', model: 'up-model' }] });
  clientToken = (await gateway.control.createClientToken({ name: 'e2e-agent' })).token;
  page = await (await browser.newContext({ viewport: { width: 1200, height: 760 } })).newPage();
  errors = collectPageErrors(page);
  await page.goto(`${origin}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  await upstream?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const sdk = () => new OpenAI({ baseURL: `${origin}/v1`, apiKey: clientToken, maxRetries: 0 });
const readFile = (id: string): OpenAI.Chat.ChatCompletionMessageParam[] => [
  { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: '{"path":"src/app.ts"}' } }] },
  { role: 'tool', tool_call_id: id, content: 'export {}' },
];

describe('guardrails in the dashboard', () => {
  it('highlights a loop row with what repeated, and names an applied command', async () => {
    const loop = await sdk().chat.completions.create(
      { model: 'agent-model', tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }], messages: [{ role: 'user', content: 'Why does it fail?' }, ...['c1', 'c2', 'c3', 'c4'].flatMap(readFile)] },
      { headers: { 'x-session-id': 'agent-task-7' } },
    );
    expect(loop.choices[0]!.message.content).toContain('Switchboard stopped a tool-call loop');
    const command = await sdk().chat.completions.create({ model: 'agent-model', messages: [{ role: 'user', content: '!/set(temperature=0.2)' }] }, { headers: { 'x-session-id': 'agent-task-8' } });
    expect(command.choices[0]!.message.content).toContain('Overrides: temperature=0.2');
    await sdk().chat.completions.create({ model: 'agent-model', messages: [{ role: 'user', content: 'Plain question' }] }, { headers: { 'x-session-id': 'agent-task-8' } });
    gateway.flushHistory();
    await page.click('a[href="#/history"]');
    const loopRow = page.locator('.history-scroll .history-row.loop');
    await loopRow.waitFor();
    expect(await loopRow.count()).toBe(1);
    expect(await loopRow.locator('.badge-loop').textContent()).toBe('loop ×4: read_file {"path":"src/app.ts"}');
    await page.locator('.history-scroll .history-row .badge:text-is("!/set(temperature=0.2)")').waitFor();
    await page.screenshot({ path: `${SHOTS}/history-loop.png` });
    await loopRow.click();
    await page.waitForSelector('.sheet .loop-fact');
    expect(await page.textContent('.sheet .loop-fact')).toContain('Tool-call loop, 4× — stopped: read_file {"path":"src/app.ts"}');
    expect(await page.textContent('.sheet')).toContain('agent-task-7');
    await page.keyboard.press('Escape');
  });

  it('groups History by session and opens one session', async () => {
    await page.click('button:has-text("Group by session")');
    const sessions = page.locator('table[aria-label="Sessions"] tbody tr');
    await sessions.first().waitFor();
    const loopSession = page.locator('table[aria-label="Sessions"] tr.loop');
    expect(await loopSession.textContent()).toContain('agent-task-7');
    expect(await page.locator('table[aria-label="Sessions"] tr:has-text("agent-task-8")').textContent()).toContain('e2e-agent');
    await page.screenshot({ path: `${SHOTS}/history-sessions.png` });
    await page.click('button:has-text("agent-task-8")');
    await page.locator('button:has-text("Session agent-task-8")').waitFor();
    // The grouped view had no table; the session's own list loads after it (the loop row belongs to another session).
    await expect.poll(() => page.locator('.history-scroll .history-row').count()).toBe(2);
    expect(await page.locator('.history-scroll .history-row.loop').count()).toBe(0);
    await page.click('button:has-text("Session agent-task-8")');
    await page.locator('.history-scroll .history-row.loop').waitFor();
  });

  it('lists the in-chat commands on the Connect page', async () => {
    await page.click('a[href="#/connect"]');
    const panel = page.locator('.commands-panel');
    await panel.waitFor();
    const text = await panel.textContent();
    for (const command of ['!/help', '!/status', '!/model(name)', '!/set(temperature=0.2', '!/unset(', '!/loop(off)']) expect(text).toContain(command);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/connect-commands.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});

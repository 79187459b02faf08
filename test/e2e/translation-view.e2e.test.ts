/**
 * The translation view (issue 15) in a real browser against the real engine and a fake
 * OpenAI-compatible upstream: with body capture on, an Anthropic SDK request translated for an
 * OpenAI provider shows four panes — what the client sent, what went upstream, what the provider
 * answered and what the client got — JSON pretty-printed, headers redacted, each copyable; a
 * same-dialect request shows plainly where nothing changed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerControlHttp } from '../../src-proxy/control/http-transport.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startFakeBedrock, type FakeBedrock } from '../fixtures/fake-bedrock-upstream.ts';
import { launchChromium } from './support/browser.ts';
import { DIST_RENDERER } from './support/demo-server.ts';
import { collectPageErrors } from './support/page-errors.ts';

const SHOTS = fileURLToPath(new URL('../../test-results/e2e-translation', import.meta.url));
const UPSTREAM_KEY = 'sk-e2e-translation-upstream-9d2f';
const AWS_IDENTITY = { accessKeyId: 'AKIAE2ETRANSLATION01', secretAccessKey: 'e2eTranslationSecretAccessKey/Bedrock0001' };

let browser: Browser;
let page: Page;
let gateway: Gateway;
let dir: string;
let errors: string[];
let upstream: FakeOpenAi;
let bedrock: FakeBedrock;
let origin: string;
let clientToken: string;
const adminToken = randomBytes(32).toString('base64url');

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'sb-e2e-translation-'));
  mkdirSync(SHOTS, { recursive: true });
  gateway = await createGateway({
    dataDir: join(dir, 'data'),
    port: 0,
    keepListenerWhenStopped: true,
    logger: pino({ level: 'silent' }),
    extendServer: (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken: () => adminToken, staticDir: DIST_RENDERER }),
  });
  upstream = await startFakeOpenAi({ models: ['gpt-up'] });
  await gateway.control.updateSettings({ recordBodies: true });
  await gateway.control.createProvider({ id: 'openai-fake', kind: 'openai', baseUrl: upstream.baseUrl });
  await gateway.control.addKey({ providerId: 'openai-fake', secret: UPSTREAM_KEY });
  await gateway.control.createAlias({ alias: 'claude-like', targets: [{ provider: 'openai-fake', model: 'gpt-up' }] });
  await gateway.control.createAlias({ alias: 'same-door', targets: [{ provider: 'openai-fake', model: 'gpt-up' }] });
  // Created off, given its key, then on: model discovery runs once the key is there.
  bedrock = await startFakeBedrock({ identities: [AWS_IDENTITY] });
  await gateway.control.createProvider({ id: 'aws', kind: 'bedrock', baseUrl: bedrock.origin, options: { region: 'eu-west-3' }, enabled: false });
  await gateway.control.addKey({ providerId: 'aws', secret: `${AWS_IDENTITY.accessKeyId}:${AWS_IDENTITY.secretAccessKey}` });
  await gateway.control.updateProvider({ id: 'aws', enabled: true });
  await gateway.control.createAlias({ alias: 'bedrock-stream', targets: [{ provider: 'aws', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' }] });
  clientToken = (await gateway.control.createClientToken({ name: 'e2e-translation' })).token;
  const status = await gateway.start();
  origin = `http://127.0.0.1:${status.port}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${origin}/_switchboard/#token=${adminToken}`);
  await page.waitForSelector('h1:has-text("Overview")');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close({ drainTimeoutMs: 100 });
  await upstream?.close();
  await bedrock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pane = (title: string) => page.locator(`.sheet .leg[aria-label="${title}"]`);

async function openRow(text: string): Promise<void> {
  gateway.flushHistory();
  // Through another page, so History loads its list afresh.
  await page.click('a[href="#/logs"]');
  await page.waitForSelector('h1:has-text("Logs")');
  await page.click('a[href="#/history"]');
  await page.click(`.history-scroll .history-row:has-text("${text}")`);
  await page.waitForSelector('.sheet section[aria-label="Translation"]');
}

describe('translation view', () => {
  it('shows an Anthropic request translated for an OpenAI provider in four panes', async () => {
    const anthropic = new Anthropic({ baseURL: origin, apiKey: clientToken, maxRetries: 0 });
    await anthropic.messages.create({ model: 'claude-like', max_tokens: 50, system: 'Be terse.', messages: [{ role: 'user', content: 'translate this question' }] });
    await openRow('claude-like');

    const client = (await pane('Client sent').locator('.leg-body').textContent())!;
    expect(JSON.parse(client)).toMatchObject({ model: 'claude-like', system: 'Be terse.', max_tokens: 50 });
    expect(client).toContain('\n  "model"'); // pretty-printed
    const sent = JSON.parse((await pane('Sent upstream').locator('.leg-body').textContent())!) as { model: string; messages: Array<{ role: string }> };
    expect(sent.model).toBe('gpt-up');
    expect(sent.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(JSON.parse((await pane('Provider answered').locator('.leg-body').textContent())!)).toMatchObject({ object: 'chat.completion' });
    expect(await pane('Provider answered').locator('h4').textContent()).toContain('200');
    expect(JSON.parse((await pane('Client got').locator('.leg-body').textContent())!)).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hello from fake' }] });
    // A translation is no "same as" case.
    expect(await page.locator('.sheet .same-marker').count()).toBe(0);

    // Headers, redacted with the one list: the client's token and the provider key never show.
    await pane('Sent upstream').locator('summary:has-text("Headers")').click();
    const upstreamHeaders = (await pane('Sent upstream').locator('.leg-header-text').textContent())!;
    expect(upstreamHeaders).toContain('authorization: [redacted]');
    await pane('Client sent').locator('summary:has-text("Headers")').click();
    expect(await pane('Client sent').locator('.leg-header-text').textContent()).toMatch(/(authorization|x-api-key): \[redacted\]/);
    // What the client got: the headers of the answer it read (its type and request id).
    await pane('Client got').locator('summary:has-text("Headers")').click();
    const gotHeaders = (await pane('Client got').locator('.leg-header-text').textContent())!;
    expect(gotHeaders).toContain('content-type: application/json; charset=utf-8');
    expect(gotHeaders).toMatch(/x-request-id: req_/);
    const sheet = (await page.locator('.sheet').textContent())!;
    expect(sheet).not.toContain(UPSTREAM_KEY);
    expect(sheet).not.toContain(clientToken);
    expect(await page.locator('.sheet .leg button:has-text("Copy")').count()).toBe(4);
    await page.locator('.sheet').screenshot({ path: join(SHOTS, 'translation-view.png') });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('marks what a same-dialect request passed on unchanged', async () => {
    const openai = new OpenAI({ baseURL: `${origin}/v1`, apiKey: clientToken, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'same-door', messages: [{ role: 'user', content: 'same dialect please' }], temperature: 0.3 });
    await openRow('same-door');
    await expect.poll(() => pane('Sent upstream').locator('.same-marker').textContent()).toContain('except model');
    expect(await pane('Client got').locator('.same-marker').textContent()).toBe('Same as the provider answered');
    expect(await pane('Provider answered').locator('.leg-body').textContent()).toBe(await pane('Client got').locator('.leg-body').textContent());
    await page.locator('.sheet').screenshot({ path: join(SHOTS, 'translation-same-dialect.png') });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it("shows a Bedrock event stream as its events with their JSON payloads, not as binary text", async () => {
    const openai = new OpenAI({ baseURL: `${origin}/v1`, apiKey: clientToken, maxRetries: 0 });
    let text = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'bedrock-stream', messages: [{ role: 'user', content: 'stream from bedrock' }], stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from Bedrock');
    await openRow('bedrock-stream');
    const answered = (await pane('Provider answered').locator('.leg-body').textContent())!;
    expect(answered.startsWith('event: messageStart\ndata: {"role":"assistant","p":"abc"}\n\nevent: contentBlockDelta\ndata: {"contentBlockIndex":0,"delta":{"text":"Hello fro"}}')).toBe(true);
    expect(answered).toContain('event: metadata\ndata: {"usage":{"inputTokens":17,"outputTokens":6,"totalTokens":23}');
    expect(answered).not.toContain('\uFFFD');
    await pane('Provider answered').locator('summary:has-text("Headers")').click();
    expect(await pane('Provider answered').locator('.leg-header-text').textContent()).toContain('content-type: application/vnd.amazon.eventstream');
    await pane('Sent upstream').locator('summary:has-text("Headers")').click();
    expect(await pane('Sent upstream').locator('.leg-header-text').textContent()).toContain('authorization: [redacted]');
    expect((await page.locator('.sheet').textContent())!).not.toContain(AWS_IDENTITY.secretAccessKey);
    await page.locator('.sheet').screenshot({ path: join(SHOTS, 'translation-bedrock-event-stream.png') });
    // The sheet's shot stops at the viewport, above the decoded events: the pane on its own shows them.
    await pane('Provider answered').screenshot({ path: join(SHOTS, 'translation-bedrock-answer.png') });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});

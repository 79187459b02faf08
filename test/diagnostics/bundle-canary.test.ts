/**
 * The diagnostics bundle's canary test (issue 15): a provider key, a client token, the admin
 * token, the metrics token, a proxy credential and a captured body, each carrying a canary, are
 * planted (and echoed into an upstream error and a log line); the history detail's captured legs
 * (the translation view) hold the body but never a key; the bundle is built through the
 * control API and through `switchboard diagnose`, unpacked with the system's tar, and no file in
 * it holds a canary — plain, base64 (any alignment), base64url or URL-encoded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { readAdminToken } from '../../src-proxy/control/admin-token.ts';
import { createGateway } from '../../src-proxy/create-gateway.ts';
import { createLogTail } from '../../src-proxy/log-tail.ts';
import { createLogger } from '../../src-proxy/logging.ts';
import { errorAnswer, startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { runAsync } from '../cli/cli-process.ts';

const CANARIES = {
  providerKey: 'sk-CANARY-provider-5f1c9e27ab',
  clientToken: 'sb-CANARY-client-83d0b6c4e1',
  metricsToken: 'mt-CANARY-metrics-2a7f4c9d1b',
  proxyPassword: 'CANARY-proxy-pass-6e2b8d',
  body: 'CANARY-body-text-91c3f7aa0d',
};

/** Every form a canary could be written in: plain, URL-encoded, and base64 / base64url at each of the three byte alignments. */
function encodings(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset, 0x41), Buffer.from(secret)]).toString('base64');
    // The characters that depend on the secret's bytes alone: skip the group the prefix shares, and a partial last group.
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor((offset + secret.length) / 3) * 4;
    const stable = encoded.slice(start, end);
    forms.push(stable, stable.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return forms;
}

function unpack(archive: Buffer, into: string): Record<string, string> {
  mkdirSync(into, { recursive: true });
  const file = join(into, '..', `${Date.now()}-${Math.random()}.tar.gz`);
  writeFileSync(file, archive);
  execFileSync('tar', ['-xzf', file, '-C', into]);
  return Object.fromEntries(readdirSync(into).map((name) => [name, readFileSync(join(into, name), 'utf8')]));
}

function expectNoCanary(files: Record<string, string>, secrets: Record<string, string>): void {
  for (const [label, secret] of Object.entries(secrets)) {
    for (const form of encodings(secret)) {
      for (const [name, text] of Object.entries(files)) expect(text.includes(form), `${name} holds the ${label} (as "${form}")`).toBe(false);
    }
  }
}

describe('diagnostics bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-diagnose-'));
  const dataDir = join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds versions, settings, config, checks, history and the log tail, and none of the planted secrets', async () => {
    const upstream = await startFakeOpenAi();
    const logTail = createLogTail();
    const logLines: string[] = [];
    const logger = createLogger({ format: 'json', level: 'debug', destination: { write: (line: string) => void logLines.push(line) }, tail: logTail });
    const gateway = await createGateway({ dataDir, port: 0, logger, logTail });
    try {
      const proxyCredential = `Basic ${Buffer.from(`corp-user:${CANARIES.proxyPassword}`).toString('base64')}`;
      await gateway.control.updateSettings({ recordBodies: true, metrics: { enabled: true, token: CANARIES.metricsToken } });
      await gateway.control.createProvider({ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, headers: { 'Proxy-Authorization': proxyCredential } });
      await gateway.control.addKey({ providerId: 'fake', secret: CANARIES.providerKey });
      await gateway.control.createAlias({ alias: 'm', targets: [{ provider: 'fake', model: 'x' }] });
      await gateway.control.importConfig({ config: { clients: [{ name: 'canary', token: CANARIES.clientToken }] } });
      const adminToken = readAdminToken(gateway.store);
      const { port } = await gateway.start();
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: CANARIES.clientToken, maxRetries: 0 });

      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `remember ${CANARIES.body}` }] });
      // A provider that echoes the key in its error, and a log line that names secrets outright.
      upstream.enqueue('/v1/chat/completions', errorAnswer(500, `upstream saw key ${CANARIES.providerKey} and ${CANARIES.body}`));
      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: CANARIES.body }] }).catch(() => null);
      gateway.logger.warn({ apiKey: CANARIES.providerKey, detail: `token ${CANARIES.clientToken} admin ${adminToken}` }, `a careless line with ${CANARIES.metricsToken}`);
      gateway.flushHistory();

      // The capture really holds the body canary: the bundle leaves it out, it does not just lack it.
      const rows = (await gateway.control.queryHistory({ limit: 10 })).rows;
      expect(rows.length).toBe(2);
      expect(JSON.stringify(await gateway.control.getHistoryEntry({ id: rows[0]!.id }))).toContain(CANARIES.body);
      // The translation view's legs are captured too (the provider's answers, the upstream headers),
      // with the key scrubbed even where the provider echoed it; a list page never holds bodies.
      for (const row of rows) {
        const detail = await gateway.control.getHistoryEntry({ id: row.id });
        expect(detail?.bodies?.upstreamResponse).toBeTruthy();
        expect(detail?.bodies?.upstream?.requestHeaders?.authorization).toBe('[redacted]');
        expect(detail?.bodies?.upstream?.requestHeaders?.['proxy-authorization']).toBe('[redacted]');
        expectNoCanary({ detail: JSON.stringify(detail) }, { providerKey: CANARIES.providerKey, clientToken: CANARIES.clientToken, proxyPassword: CANARIES.proxyPassword });
      }
      expect(JSON.stringify(await gateway.control.getHistoryEntry({ id: rows.find((row) => row.status === 500)!.id }))).toMatch(/upstream saw key \[redacted\]/);
      expect(JSON.stringify(rows)).not.toContain(CANARIES.body);
      expect(logLines.join('')).toContain(CANARIES.metricsToken);

      const bundle = await gateway.control.buildDiagnostics();
      expect(bundle.fileName).toMatch(/^switchboard-diagnostics-.+\.tar\.gz$/);
      const files = unpack(Buffer.from(bundle.archiveBase64, 'base64'), join(dir, 'from-api'));
      expect(Object.keys(files).sort()).toEqual(['README.txt', 'config.json', 'doctor.json', 'doctor.txt', 'history.jsonl', 'log-tail.txt', 'settings.json', 'status.json', 'versions.json']);
      expect(JSON.parse(files['versions.json']!)).toMatchObject({ switchboard: '0.1.0', node: process.versions.node, platform: process.platform });
      expect(JSON.parse(files['settings.json']!)).toMatchObject({ recordBodies: true, metrics: { enabled: true, token: '[redacted]' } });
      expect(JSON.parse(files['config.json']!).providers[0]).toMatchObject({ id: 'fake', baseUrl: upstream.baseUrl });
      const history = files['history.jsonl']!.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(history.map((row) => row.status).sort()).toEqual([200, 500]);
      expect(history.every((row) => !('requestBody' in row) && !('responseBody' in row) && !('requestHeaders' in row))).toBe(true);
      expect(files['doctor.txt']).toContain('Provider fake');
      expect(files['log-tail.txt']).toContain('a careless line with [redacted]');
      expectNoCanary(files, { ...CANARIES, adminToken });

      await gateway.stop();
    } finally {
      await gateway.close();
      await upstream.close();
    }

    // The CLI, on the same data folder, with a desktop-style log file that names a key.
    const logFile = join(dir, 'switchboard.log');
    writeFileSync(logFile, `${JSON.stringify({ level: 40, time: Date.now(), msg: `retrying with ${CANARIES.providerKey}` })}\n`);
    const out = join(dir, 'bundle.tar.gz');
    const result = await runAsync(['diagnose', '--out', out, '--data-dir', dataDir, '--log', logFile, '--no-checks']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wrote');
    const fromCli = unpack(readFileSync(out), join(dir, 'from-cli'));
    expect(fromCli['log-tail.txt']).toContain('WARN  retrying with [redacted]');
    expect(fromCli['history.jsonl']!.trim().split('\n')).toHaveLength(2);
    expectNoCanary(fromCli, CANARIES);
  });

  it('says what is missing: no --out, no data folder', async () => {
    const noOut = await runAsync(['diagnose', '--data-dir', dataDir]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out FILE');
    const noData = await runAsync(['diagnose', '--out', join(dir, 'x.tar.gz'), '--data-dir', join(dir, 'nowhere')]);
    expect(noData.code).toBe(1);
    expect(noData.stderr).toContain('No Switchboard data');
  });
});

// Codex CLI 0.169.0 end to end, the way a user sets it up: a custom model provider whose base URL
// is Switchboard (`wire_api = "responses"`, a client token as its key), its model mapped to an
// Anthropic provider (here the fake Anthropic upstream), and a turn where Codex runs a shell tool.
// Codex ships as a registry package with a native binary; the test installs it into a cache folder
// outside the repo on first use (or uses CODEX_BIN) and fails — never skips — when it cannot.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type AnthropicResponder, type FakeAnthropic } from '../fixtures/fake-anthropic-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { toolCacheDir } from '../fixtures/tool-cache.ts';

const CODEX_VERSION = '0.169.0';
/** The shell computes 6*7, so "switchboard-e2e-42" in the answer proves the command really ran. */
const COMMAND = 'echo switchboard-e2e-$((6*7))';

function codexBinary(): string {
  if (process.env.CODEX_BIN) return process.env.CODEX_BIN;
  const dir = toolCacheDir(`codex-${CODEX_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'codex.cmd' : 'codex');
  if (!existsSync(bin)) {
    writeFileSync(join(dir, 'package.json'), '{"name":"codex-for-switchboard-tests","private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `@openai/codex@${CODEX_VERSION}`], { cwd: dir, stdio: 'pipe', timeout: 240_000 });
  }
  return bin;
}

/** Plays the model: run the shell command first, then answer with what the tool printed. */
const scriptedModel: AnthropicResponder = (req, res, body) => {
  const messages = (body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = messages.at(-1);
  const results = Array.isArray(last?.content) ? (last.content as Array<Record<string, unknown>>).filter((block) => block.type === 'tool_result') : [];
  if (results.length === 0) {
    return messageAnswer({ blocks: [{ type: 'text', chunks: ['Running it.'] }, { type: 'tool_use', id: 'toolu_e2e', name: 'exec_command', fragments: [JSON.stringify({ cmd: COMMAND })] }], stopReason: 'tool_use' })(req, res, body);
  }
  const output = JSON.stringify(results[0]!.content);
  const marker = /switchboard-e2e-\d+/.exec(output)?.[0] ?? 'NO-OUTPUT';
  return messageAnswer({ blocks: [{ type: 'text', chunks: ['The command printed ', marker, '.'] }] })(req, res, body);
};

function runCodex(bin: string, env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe(`Codex CLI ${CODEX_VERSION} through Switchboard to an Anthropic provider`, () => {
  let bin: string;
  let upstream: FakeAnthropic;
  let harness: Harness;
  let home: string;

  beforeAll(async () => {
    bin = codexBinary();
    upstream = await startFakeAnthropic();
    for (let i = 0; i < 20; i++) upstream.enqueue('/v1/messages', scriptedModel);
    harness = await startGateway({
      providers: [{ id: 'claude', kind: 'anthropic', baseUrl: upstream.baseUrl, keys: ['sk-ant-upstream'] }],
      aliases: [{ alias: 'codex-via-switchboard', targets: [{ provider: 'claude', model: 'claude-fake-1' }] }],
    });
    home = mkdtempSync(join(tmpdir(), 'switchboard-codex-home-'));
    mkdirSync(join(home, 'work'));
    writeFileSync(join(home, 'config.toml'), [
      'model = "codex-via-switchboard"',
      'model_provider = "switchboard"',
      '',
      '[model_providers.switchboard]',
      'name = "Switchboard"',
      `base_url = "${harness.baseUrl}"`,
      'env_key = "SWITCHBOARD_TOKEN"',
      'wire_api = "responses"',
      '',
    ].join('\n'));
  }, 300_000);

  afterAll(async () => {
    await harness?.close();
    await upstream?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs a turn in which the model calls exec_command, Codex runs it, and the final answer quotes its output', async () => {
    const result = await runCodex(bin, { CODEX_HOME: home, SWITCHBOARD_TOKEN: harness.token, NO_COLOR: '1' }, [
      'exec', '--json', '--skip-git-repo-check', '--sandbox', 'danger-full-access', '-C', join(home, 'work'),
      'Run the shell command that prints the marker and tell me what it printed.',
    ]);
    const events = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; item?: Record<string, unknown> });
    const diagnostics = `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr.slice(-4000)}`;
    expect(result.code, diagnostics).toBe(0);
    const completed = events.filter((event) => event.type === 'item.completed').map((event) => event.item!);
    const command = completed.find((item) => item.type === 'command_execution');
    expect(command, diagnostics).toMatchObject({ command: expect.stringContaining('switchboard-e2e-'), exit_code: 0 });
    expect(String(command!.aggregated_output)).toContain('switchboard-e2e-42');
    expect(completed.filter((item) => item.type === 'agent_message').at(-1)).toMatchObject({ text: 'The command printed switchboard-e2e-42.' });

    // What went over the wire: Codex's Responses requests, translated to Anthropic Messages.
    const calls = upstream.requests.filter((request) => request.path === '/v1/messages');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    const toolTurn = calls.find((request) => JSON.stringify(request.body).includes('"tool_result"'))!;
    expect(JSON.stringify(toolTurn.body)).toContain('switchboard-e2e-42');
    expect(upstream.requests.every((request) => request.headers['x-api-key'] === 'sk-ant-upstream' || request.headers.authorization === 'Bearer sk-ant-upstream')).toBe(true);
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ limit: 10 })).rows.filter((row) => row.endpoint === '/v1/responses');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.status === 200 && row.errorCode === null && row.provider === 'claude')).toBe(true);
  }, 120_000);
});

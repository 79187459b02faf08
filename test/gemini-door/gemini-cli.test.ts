// Gemini CLI 0.61.0 end to end, the way a user sets it up: GOOGLE_GEMINI_BASE_URL pointing at
// Switchboard and GEMINI_API_KEY = a client token, its models mapped to an OpenAI-compatible, an
// Anthropic or an Ollama provider, and a turn where the model asks Gemini CLI to run a shell command and then answers with
// what it printed. Gemini CLI ships as a registry package; the test installs it into the tools
// cache (.cache/test-tools, ignored) on first use (or uses GEMINI_CLI_BIN) and fails — never skips — when
// it cannot.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageAnswer, startFakeAnthropic, type AnthropicResponder, type MessageScript } from '../fixtures/fake-anthropic-upstream.ts';
import { ollamaChatAnswer, ollamaToolCallAnswer, startFakeOllama, type OllamaResponder } from '../fixtures/fake-ollama-upstream.ts';
import { startFakeOpenAi, textAnswer, toolCallAnswer } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { toolCacheDir } from '../fixtures/tool-cache.ts';

const GEMINI_CLI_VERSION = '0.61.0';
/**
 * The shell computes 6*7, so "switchboard-e2e-42" in the answer proves the command really ran
 * (Gemini CLI refuses command substitution such as $((…)), so expr does the sum).
 */
const COMMAND = "printf switchboard-e2e-; expr 6 '*' 7";

function geminiCliBinary(): string {
  if (process.env.GEMINI_CLI_BIN) return process.env.GEMINI_CLI_BIN;
  const dir = toolCacheDir(`gemini-cli-${GEMINI_CLI_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'gemini.cmd' : 'gemini');
  if (!existsSync(bin)) {
    writeFileSync(join(dir, 'package.json'), '{"name":"gemini-cli-for-switchboard-tests","private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `@google/gemini-cli@${GEMINI_CLI_VERSION}`], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
  }
  return bin;
}

/** One upstream kind playing the model: run the shell command first, then report what it printed. */
interface ScriptedUpstream {
  provider: { id: string; kind: string; baseUrl: string; keys?: string[] };
  /** The model's requests as the upstream received them. */
  calls(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** What the model does next, from what it was sent (the same script for every upstream kind). */
function nextStep(offersShell: boolean, toolOutput: string): { say: string } | { run: true } {
  const marker = /switchboard-e2e-\d+/.exec(toolOutput)?.[0];
  if (marker) return { say: `The command printed ${marker}.` };
  if (offersShell) return { run: true };
  // Gemini CLI's side calls (next-speaker checks and the like) ask for JSON: a plain answer.
  return { say: '{"reasoning":"The answer is complete.","next_speaker":"user"}' };
}

const SHELL_ARGS = JSON.stringify({ command: COMMAND, description: 'Print the marker' });

async function openAiCompatible(): Promise<ScriptedUpstream> {
  const fake = await startFakeOpenAi();
  fake.route = (record) => {
    if (record.path !== '/v1/chat/completions') return undefined;
    const body = record.body ?? {};
    const messages = (body.messages ?? []) as Array<{ role: string; content?: unknown }>;
    const tools = ((body.tools ?? []) as Array<{ function?: { name?: string } }>).map((tool) => tool.function?.name);
    const step = nextStep(tools.includes('run_shell_command'), messages.filter((message) => message.role === 'tool').map((message) => JSON.stringify(message.content)).join('\n'));
    return 'run' in step ? toolCallAnswer([{ id: 'call_shell_1', name: 'run_shell_command', fragments: [SHELL_ARGS] }], { content: 'Running it.' }) : textAnswer([step.say]);
  };
  return {
    provider: { id: 'oai', kind: 'openai', baseUrl: fake.baseUrl, keys: ['sk-upstream'] },
    calls: () => fake.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.body ?? {}),
    close: () => fake.close(),
  };
}

async function anthropic(): Promise<ScriptedUpstream> {
  const fake = await startFakeAnthropic();
  const scripted: AnthropicResponder = (req, res, body) => {
    const messages = (body?.messages ?? []) as Array<{ role: string; content: unknown }>;
    const blocks = messages.flatMap((message) => (Array.isArray(message.content) ? (message.content as Array<Record<string, unknown>>) : []));
    const tools = ((body?.tools ?? []) as Array<{ name?: string }>).map((tool) => tool.name);
    const step = nextStep(tools.includes('run_shell_command'), blocks.filter((block) => block.type === 'tool_result').map((block) => JSON.stringify(block.content)).join('\n'));
    const script: MessageScript = 'run' in step
      ? { blocks: [{ type: 'text', chunks: ['Running it.'] }, { type: 'tool_use', id: 'toolu_shell_1', name: 'run_shell_command', fragments: [SHELL_ARGS] }], stopReason: 'tool_use' }
      : { blocks: [{ type: 'text', chunks: [step.say] }] };
    return messageAnswer(script)(req, res, body);
  };
  for (let i = 0; i < 30; i++) fake.enqueue('/v1/messages', scripted);
  return {
    provider: { id: 'ant', kind: 'anthropic', baseUrl: fake.baseUrl, keys: ['sk-ant-upstream'] },
    calls: () => fake.requests.filter((request) => request.path === '/v1/messages').map((request) => request.body ?? {}),
    close: () => fake.close(),
  };
}

async function ollama(): Promise<ScriptedUpstream> {
  const fake = await startFakeOllama();
  const scripted: OllamaResponder = (res, body, record) => {
    const messages = (body?.messages ?? []) as Array<{ role: string; content?: unknown }>;
    const tools = ((body?.tools ?? []) as Array<{ function?: { name?: string } }>).map((tool) => tool.function?.name);
    const step = nextStep(tools.includes('run_shell_command'), messages.filter((message) => message.role === 'tool').map((message) => JSON.stringify(message.content)).join('\n'));
    return 'run' in step ? ollamaToolCallAnswer([{ name: 'run_shell_command', arguments: JSON.parse(SHELL_ARGS) as Record<string, unknown> }])(res, body, record) : ollamaChatAnswer([step.say])(res, body, record);
  };
  for (let i = 0; i < 30; i++) fake.enqueue('/api/chat', scripted);
  return {
    provider: { id: 'oll', kind: 'ollama', baseUrl: fake.origin },
    calls: () => fake.requests.filter((request) => request.path === '/api/chat').map((request) => request.body ?? {}),
    close: () => fake.close(),
  };
}

function runGeminiCli(bin: string, env: Record<string, string>, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each([
  ['an OpenAI-compatible provider', openAiCompatible],
  ['an Anthropic provider', anthropic],
  ['an Ollama provider', ollama],
])(`Gemini CLI ${GEMINI_CLI_VERSION} through Switchboard to %s`, (_name, makeUpstream) => {
  let bin: string;
  let upstream: ScriptedUpstream;
  let harness: Harness;
  let home: string;

  beforeAll(async () => {
    bin = geminiCliBinary();
    upstream = await makeUpstream();
    harness = await startGateway({
      providers: [upstream.provider],
      // Gemini CLI names several Gemini models (its main model, helpers for side calls): all go here.
      aliases: [{ alias: 'gemini-*', targets: [{ provider: upstream.provider.id, model: 'upstream-model' }] }],
    });
    home = mkdtempSync(join(tmpdir(), 'switchboard-gemini-cli-home-'));
    mkdirSync(join(home, '.gemini'));
    mkdirSync(join(home, 'work'));
    writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({
      // Gemini CLI sends its Gemini API key (here the client token) in x-goog-api-key to GOOGLE_GEMINI_BASE_URL.
      security: { auth: { selectedType: 'gemini-api-key' } },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      general: { disableAutoUpdate: true, disableUpdateNag: true },
    }));
  }, 360_000);

  afterAll(async () => {
    await harness?.close();
    await upstream?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs a turn in which the model calls run_shell_command, Gemini CLI runs it, and the answer quotes its output', async () => {
    const result = await runGeminiCli(
      bin,
      { HOME: home, GOOGLE_GEMINI_BASE_URL: harness.origin, GEMINI_API_KEY: harness.token, NO_COLOR: '1', CI: '1', GEMINI_CLI_NO_RELAUNCH: 'true' },
      ['--model', 'gemini-2.5-flash', '--approval-mode', 'yolo', '--skip-trust', '--output-format', 'json', '-p', 'Run the shell command that prints the marker and tell me what it printed.'],
      join(home, 'work'),
    );
    const calls = upstream.calls();
    const diagnostics = `exit ${result.code}\nstdout:\n${result.stdout.slice(-4000)}\nstderr:\n${result.stderr.slice(-6000)}\nupstream calls: ${calls.length}\n${calls.map((call) => JSON.stringify(call.messages).slice(-700)).join('\n')}`;
    expect(result.code, diagnostics).toBe(0);
    expect(result.stdout, diagnostics).toContain('The command printed switchboard-e2e-42.');

    // The tool really ran: its output went back to the model as a tool result, in the upstream's own format.
    expect(calls.some((call) => JSON.stringify(call.messages).includes('switchboard-e2e-42')), diagnostics).toBe(true);
    harness.gateway.flushHistory();
    const rows = (await harness.gateway.control.queryHistory({ dialect: 'gemini', limit: 20 })).rows;
    expect(rows.length, diagnostics).toBeGreaterThanOrEqual(2);
    expect(rows.filter((row) => /generateContent/i.test(row.endpoint)).every((row) => row.status === 200 && row.provider === upstream.provider.id), diagnostics).toBe(true);
  }, 180_000);
});

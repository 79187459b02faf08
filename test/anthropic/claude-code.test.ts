/**
 * Claude Code end to end, the way a user points it at Switchboard: ANTHROPIC_BASE_URL + a client
 * token, its default model mapped by the wildcard alias `claude-*` to an OpenAI-compatible
 * provider (a fake one here), one turn in which it runs a Bash tool and then answers.
 *
 * Needs the Claude Code binary: set CLAUDE_CODE_BIN, or the test installs
 * @anthropic-ai/claude-code into a cache folder under the OS temp dir on first run (a large
 * download from the npm registry). It fails, never skips, when neither works.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { toolCacheDir } from '../fixtures/tool-cache.ts';

const CLAUDE_CODE_VERSION = '2.1.330';
const MARKER = 'switchboard-e2e-7f3a';

function claudeBinary(): string {
  const fromEnv = process.env.CLAUDE_CODE_BIN;
  if (fromEnv) return fromEnv;
  const dir = toolCacheDir(`claude-code-${CLAUDE_CODE_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', 'claude');
  if (!existsSync(bin)) {
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`], { stdio: 'ignore', timeout: 600_000 });
  }
  return bin;
}

type Message = { role: string; content: unknown; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string };

function chunk(res: ServerResponse, model: string, delta: Record<string, unknown>, finish: string | null = null) {
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-cc', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
}

/** The fake model: asked with tools and no tool result yet → runs Bash; after the result → answers. */
function scriptedModel(fake: FakeOpenAi) {
  const answer = (_req: unknown, res: ServerResponse, body: Record<string, unknown> | null) => {
    const model = String(body?.model);
    const messages = (body?.messages ?? []) as Message[];
    const tools = (body?.tools ?? []) as Array<{ function?: { name?: string } }>;
    const toolResult = messages.filter((m) => m.role === 'tool').at(-1);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    chunk(res, model, { role: 'assistant', content: '' });
    if (toolResult) {
      const text = typeof toolResult.content === 'string' ? toolResult.content : JSON.stringify(toolResult.content);
      chunk(res, model, { content: `The command printed: ${text.trim()}` });
      chunk(res, model, {}, 'stop');
    } else if (tools.some((tool) => tool.function?.name === 'Bash')) {
      chunk(res, model, { content: 'Running it.' });
      chunk(res, model, { tool_calls: [{ index: 0, id: 'call_bash_1', type: 'function', function: { name: 'Bash', arguments: '' } }] });
      chunk(res, model, { tool_calls: [{ index: 0, function: { arguments: `{"command":"echo ${MARKER}",` } }] });
      chunk(res, model, { tool_calls: [{ index: 0, function: { arguments: '"description":"Print the marker"}' } }] });
      chunk(res, model, {}, 'tool_calls');
    } else {
      chunk(res, model, { content: 'ok' });
      chunk(res, model, {}, 'stop');
    }
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-cc', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } })}\n\n`);
    res.end('data: [DONE]\n\n');
  };
  for (let i = 0; i < 40; i++) fake.enqueue('/v1/chat/completions', answer);
}

function runClaude(bin: string, cwd: string, env: Record<string, string>, prompt: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(bin, ['-p', prompt, '--output-format', 'json', '--allowedTools', 'Bash'], { cwd, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    // -p waits for piped stdin otherwise.
    child.stdin?.end();
  });
}

describe('Claude Code against Switchboard', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let bin: string;
  let home: string;

  beforeAll(async () => {
    bin = claudeBinary();
    upstream = await startFakeOpenAi();
    scriptedModel(upstream);
    harness = await startGateway({
      providers: [{ id: 'oai', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-openai-upstream'] }],
      aliases: [{ alias: 'claude-*', targets: [{ provider: 'oai', model: 'gpt-fake' }] }],
    });
    home = mkdtempSync(join(tmpdir(), 'switchboard-cc-home-'));
  }, 660_000);
  afterAll(async () => {
    await harness?.close();
    await upstream?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it.each(['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'])('runs a Bash tool call through an alias to another provider and answers with its output (token in %s)', async (tokenVariable) => {
    upstream.requests.length = 0;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      ANTHROPIC_BASE_URL: harness.origin,
      [tokenVariable]: harness.token,
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
    };
    const result = await runClaude(bin, home, env, 'Run the shell command `echo ' + MARKER + '` and tell me what it printed.');
    const gateway = (r: RecordedRequest) => r.path === '/v1/chat/completions';
    const seen = upstream.requests.filter(gateway);
    expect(seen[0]!.body!.user).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { result?: string; is_error?: boolean };
    expect(output.is_error).toBe(false);
    expect(output.result).toContain(`The command printed: ${MARKER}`);
    // The tool result Claude Code sent back reached the upstream as an OpenAI tool message.
    const withResult = seen.find((r) => (r.body!.messages as Message[]).some((m) => m.role === 'tool' && m.tool_call_id === 'call_bash_1'));
    expect(withResult).toBeDefined();
    expect(JSON.stringify((withResult!.body!.messages as Message[]).find((m) => m.role === 'tool'))).toContain(MARKER);
    expect(seen.every((r) => r.body!.model === 'gpt-fake')).toBe(true);
    expect(JSON.stringify(seen.map((r) => r.headers))).not.toContain(harness.token);
  }, 180_000);
});

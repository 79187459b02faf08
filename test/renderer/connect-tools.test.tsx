import { describe, expect, it, vi } from 'vitest';
import { runChecks, summarize } from '../../src-renderer/pages/connect/run-checks';
import { TOOL_GUIDES } from '../../src-renderer/pages/connect/tools';

const context = { origin: 'http://127.0.0.1:4321', token: 'sb-TOKEN', model: 'my-alias' };

describe('connect snippets', () => {
  it.each(TOOL_GUIDES.map((tool) => [tool.name, tool] as const))('%s uses this machine\'s address (and the token when it takes one)', (_name, tool) => {
    const snippet = tool.snippet(context);
    expect(snippet).toContain('127.0.0.1:4321');
    if (tool.usesToken) expect(snippet).toContain('sb-TOKEN');
    else expect(snippet).not.toContain('sb-TOKEN');
    expect(tool.checks.length).toBeGreaterThan(0);
  });

  it('covers every tool the issue names', () => {
    expect(TOOL_GUIDES.map((tool) => tool.name)).toEqual([
      'Claude Code', 'Codex CLI', 'Continue', 'Cline', 'Aider', 'VS Code Copilot (Ollama provider)', 'VS Code Copilot (OpenAI-compatible)',
      'JetBrains AI Assistant', 'Zed', 'Open WebUI', 'OpenAI SDK', 'Anthropic SDK', 'Ollama SDK',
    ]);
  });
});

describe('start-up check', () => {
  it('replays Copilot\'s Ollama calls in order, asking /api/show about the first listed model', async () => {
    const copilot = TOOL_GUIDES.find((tool) => tool.id === 'copilot-ollama')!;
    const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
      if (url.endsWith('/api/version')) return new Response('{"version":"0.6.4"}');
      if (url.endsWith('/api/tags')) return new Response('{"models":[{"name":"gpt-4o"},{"name":"qwen"}]}');
      return new Response('{"capabilities":["completion","tools"]}');
    });
    const results = await runChecks(copilot.checks, { origin: context.origin, token: null, model: 'x', fetch: fetchMock as unknown as typeof fetch });
    expect(fetchMock.mock.calls.map(([url, init]) => `${init?.method} ${url}`)).toEqual([
      'GET http://127.0.0.1:4321/api/version', 'GET http://127.0.0.1:4321/api/tags', 'POST http://127.0.0.1:4321/api/show',
    ]);
    expect(JSON.parse(fetchMock.mock.calls[2]![1]!.body as string)).toEqual({ model: 'gpt-4o' });
    expect(results.map((r) => r.summary)).toEqual(['version 0.6.4', '2 models: gpt-4o, qwen', 'capabilities: completion, tools']);
  });

  it('sends the token the way each dialect expects', async () => {
    const anthropic = TOOL_GUIDES.find((tool) => tool.id === 'anthropic-sdk')!;
    const fetchMock = vi.fn(async () => new Response('{"data":[]}'));
    await runChecks(anthropic.checks.slice(0, 1), { origin: context.origin, token: 'sb-T', model: 'm', fetch: fetchMock as unknown as typeof fetch });
    const headers = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(headers).toMatchObject({ 'x-api-key': 'sb-T', 'anthropic-version': '2023-06-01' });
  });

  it('shows the gateway error code and message a tool would get', () => {
    expect(summarize({ method: 'GET', path: '/v1/models', dialect: 'openai' }, 401, { error: { code: 'invalid_client_token', message: 'The client token is not valid or was revoked.' } }))
      .toBe('invalid_client_token: The client token is not valid or was revoked.');
  });
});

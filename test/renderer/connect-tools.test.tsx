// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectPage } from '../../src-renderer/pages/connect/ConnectPage';
import { runChecks, summarize } from '../../src-renderer/pages/connect/run-checks';
import { TOOL_GUIDES } from '../../src-renderer/pages/connect/tools';
import { createFakeControl } from './fake-control';
import { renderWithControl } from './render-with-control';

afterEach(cleanup);

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
      'Claude Code', 'Gemini CLI', 'Codex CLI', 'Continue', 'Cline', 'Aider', 'VS Code Copilot (Ollama provider)', 'VS Code Copilot (OpenAI-compatible)',
      'JetBrains AI Assistant', 'Zed', 'Open WebUI', 'OpenAI SDK', 'Anthropic SDK', 'Google Gen AI SDK', 'Ollama SDK',
    ]);
  });
});

describe('Claude Code', () => {
  const claude = TOOL_GUIDES.find((tool) => tool.id === 'claude-code')!;

  it('sets the background (haiku) model under both names Claude Code has read', () => {
    const snippet = claude.snippet({ ...context, smallModel: 'fast-alias' });
    expect(snippet).toContain('export ANTHROPIC_MODEL=my-alias');
    expect(snippet).toContain('export ANTHROPIC_DEFAULT_HAIKU_MODEL=fast-alias');
    expect(snippet).toContain('export ANTHROPIC_SMALL_FAST_MODEL=fast-alias');
    // Without a separate choice the background calls use the main model, never a claude-…-haiku guess.
    expect(claude.snippet(context)).toContain('export ANTHROPIC_DEFAULT_HAIKU_MODEL=my-alias');
  });

  it('checks the background model too, so a 404 there cannot hide behind a green main model', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith('/v1/models')) return new Response('{"data":[{"id":"my-alias"}]}');
      const model = JSON.parse(init!.body as string).model as string;
      return model === 'my-alias'
        ? new Response('{"input_tokens":3}')
        : new Response(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `model ${model} not found` } }), { status: 404 });
    });
    const results = await runChecks(claude.checks, { origin: context.origin, token: 'sb-T', model: 'my-alias', smallModel: 'claude-3-5-haiku-latest', fetch: fetchMock as unknown as typeof fetch });
    expect(results.map((r) => [r.title, r.ok])).toEqual([
      ['GET /v1/models', true],
      ['POST /v1/messages/count_tokens · count_tokens for my-alias', true],
      ['POST /v1/messages/count_tokens · count_tokens for claude-3-5-haiku-latest (background model)', false],
    ]);
    expect(results[2]!.summary).toContain('not found');
  });
});

describe('the Connect page', () => {
  it('never runs a check that needs a token without one, and offers a background model for Claude Code', async () => {
    const fake = createFakeControl({ seed: 'demo' });
    fake.state.aliases = [...fake.state.aliases, { ...fake.state.aliases[0]!, alias: 'claude-haiku-fast' }];
    renderWithControl(<ConnectPage />, { fake });
    const check = await screen.findByRole('button', { name: 'Check as Claude Code' });
    expect((check as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Choose or create a client token above to run the check.')).toBeTruthy();
    const background = await screen.findByLabelText('Background model (haiku slot)');
    await waitFor(() => expect((background as HTMLSelectElement).value).toBe('claude-haiku-fast'));
    expect(screen.getByLabelText('Claude Code settings').textContent).toContain('ANTHROPIC_DEFAULT_HAIKU_MODEL=claude-haiku-fast');
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Check as Claude Code' }) as HTMLButtonElement).disabled).toBe(false));
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

  it('replays Gemini CLI\'s calls with its key in x-goog-api-key, counting tokens at the model\'s own URL', async () => {
    const gemini = TOOL_GUIDES.find((tool) => tool.id === 'gemini-cli')!;
    expect(gemini.snippet(context)).toContain('export GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:4321\nexport GEMINI_API_KEY=sb-TOKEN\ngemini --model my-alias');
    const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
      if (url.endsWith('/v1beta/models')) return new Response('{"models":[{"name":"models/my-alias"},{"name":"models/gemini-*"}]}');
      return new Response('{"totalTokens":4}');
    });
    const results = await runChecks(gemini.checks, { origin: context.origin, token: 'sb-T', model: 'my alias', fetch: fetchMock as unknown as typeof fetch });
    expect(fetchMock.mock.calls.map(([url, init]) => `${init?.method} ${url}`)).toEqual([
      'GET http://127.0.0.1:4321/v1beta/models', 'POST http://127.0.0.1:4321/v1beta/models/my%20alias:countTokens',
    ]);
    for (const [, init] of fetchMock.mock.calls) expect(init?.headers).toMatchObject({ 'x-goog-api-key': 'sb-T' });
    expect(results.map((r) => [r.title, r.summary])).toEqual([
      ['GET /v1beta/models', '2 models: my-alias, gemini-*'],
      ['POST /v1beta/models/my%20alias:countTokens', 'totalTokens: 4'],
    ]);
  });

  it('shows the gateway error code and message a tool would get', () => {
    expect(summarize({ method: 'GET', path: '/v1/models', dialect: 'openai' }, 401, { error: { code: 'invalid_client_token', message: 'The client token is not valid or was revoked.' } }))
      .toBe('invalid_client_token: The client token is not valid or was revoked.');
  });
});

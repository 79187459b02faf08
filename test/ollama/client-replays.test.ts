/**
 * Replays of the call sequences real Ollama clients make at start-up and in use, asserting what
 * those clients check (docs/wire-formats.md, "Ollama").
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, toolCallAnswer, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

/** VS Code Copilot's version gate: dotted numbers, missing parts are 0, at least 0.6.4. */
function isVersionSupported(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return major > 0 || minor > 6 || (minor === 6 && patch >= 4);
}

/** Continue's parsing of /api/show `parameters`. */
function parseParameters(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+((?:".*")|\S+)$/.exec(line);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

async function getJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  getJson(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('client start-up and use sequences against the Ollama front door', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;

  beforeEach(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'fake', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-upstream-key-1'] }],
      aliases: [
        { alias: 'coder', targets: [{ provider: 'fake', model: 'fake-large' }], metadata: { contextWindow: 131_072, capabilities: ['completion', 'tools', 'vision'] } },
        { alias: 'autocomplete', targets: [{ provider: 'fake', model: 'fake-small' }], metadata: { contextWindow: 8_192, capabilities: ['completion', 'insert'] } },
      ],
    });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  it('VS Code Copilot: version → tags → show per model → chat through /v1/chat/completions', async () => {
    // VS Code's BYOK Ollama provider sends an empty Bearer token on /api calls.
    const vscodeHeaders = { authorization: 'Bearer ', 'user-agent': 'GitHubCopilotChat/0.32.0', 'x-vscode-user-agent-library-version': 'node-fetch' };
    const { version } = (await getJson(`${harness.origin}/api/version`, { headers: vscodeHeaders })) as { version: string };
    expect(isVersionSupported(version)).toBe(true);

    const { models } = (await getJson(`${harness.origin}/api/tags`, { headers: vscodeHeaders })) as { models: Array<{ model: string }> };
    const ids = models.map((model) => model.model);
    expect(ids).toContain('coder:latest');

    const infos = new Map<string, { tools: boolean; vision: boolean; context: number; name: string }>();
    for (const id of ids) {
      const show = (await postJson(`${harness.origin}/api/show`, { model: id }, vscodeHeaders)) as { capabilities: string[]; model_info: Record<string, unknown> };
      const arch = show.model_info['general.architecture'];
      expect(typeof arch).toBe('string');
      const context = show.model_info[`${arch as string}.context_length`];
      expect(typeof context).toBe('number');
      infos.set(id, { tools: show.capabilities.includes('tools'), vision: show.capabilities.includes('vision'), context: context as number, name: String(show.model_info['general.basename']) });
    }
    expect(infos.get('coder:latest')).toEqual({ tools: true, vision: true, context: 131_072, name: 'coder' });
    expect(infos.get('autocomplete:latest')).toMatchObject({ tools: false, vision: false, context: 8_192 });

    upstream.enqueue('/v1/chat/completions', toolCallAnswer([{ id: 'call_1', name: 'read_file', fragments: ['{"path":"a.ts"}'] }]));
    const client = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'coder:latest',
      messages: [{ role: 'user', content: 'Open a.ts' }],
      tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let finish = null;
    for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe('tool_calls');
    expect(upstream.requests.at(-1)!.body!.model).toBe('fake-large');
  });

  it('Continue: tags (name) → show with "name" → parameters num_ctx and .Suffix FIM → native chat, generate, embed', async () => {
    const { models } = (await getJson(`${harness.origin}/api/tags`)) as { models: Array<{ name: string }> };
    expect(models.map((model) => model.name)).toEqual(expect.arrayContaining(['coder:latest', 'autocomplete:latest']));

    const chatShow = (await postJson(`${harness.origin}/api/show`, { name: 'coder:latest' })) as { parameters: string; template: string; capabilities: string[] };
    expect(Number(parseParameters(chatShow.parameters).num_ctx)).toBe(131_072);
    expect(chatShow.template.includes('.Suffix')).toBe(false);
    expect(chatShow.capabilities).toContain('tools');
    const fimShow = (await postJson(`${harness.origin}/api/show`, { name: 'autocomplete:latest' })) as { parameters: string; template: string };
    expect(Number(parseParameters(fimShow.parameters).num_ctx)).toBe(8_192);
    expect(fimShow.template.includes('.Suffix')).toBe(true);

    // Continue's chat: keep_alive as a number, options, think, history with stringified arguments.
    const chat = await fetch(`${harness.origin}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'coder:latest',
        keep_alive: 1800,
        think: false,
        stream: true,
        options: { num_ctx: 131_072, num_predict: 4096, temperature: 0.5, stop: ['<|im_end|>'] },
        messages: [
          { role: 'system', content: 'You are Continue.' },
          { role: 'user', content: 'List files' },
          { role: 'assistant', content: '', tool_calls: [{ function: { name: 'ls', arguments: '{"dir":"."}' } }] },
          { role: 'tool', content: 'a.ts', tool_name: 'ls' },
          { role: 'user', content: 'Thanks' },
        ],
        tools: [{ type: 'function', function: { name: 'ls', parameters: { type: 'object', properties: { dir: { type: 'string' } } } } }],
      }),
    });
    const lines = (await chat.text()).trim().split('\n').map((line) => JSON.parse(line) as { done: boolean; message?: { content: string } });
    expect(lines.map((line) => line.message?.content ?? '').join('')).toBe('Hello from fake');
    expect(lines.at(-1)!.done).toBe(true);
    const sent = upstream.requests.at(-1)!.body!;
    expect(sent).toMatchObject({ max_tokens: 4096, temperature: 0.5, stop: ['<|im_end|>'] });
    expect((sent.messages as unknown[]).slice(2, 4)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'ls', arguments: '{"dir":"."}' } }] },
      { role: 'tool', tool_call_id: 'call_0', content: 'a.ts' },
    ]);

    // Continue's autocomplete: raw generate with a suffix.
    const generate = await fetch(`${harness.origin}/api/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'autocomplete:latest', prompt: 'function add(', suffix: ') {}', raw: true, stream: true, keep_alive: 1800, options: { num_predict: 128, temperature: 0.01 } }),
    });
    const generated = (await generate.text()).trim().split('\n').map((line) => JSON.parse(line) as { response: string; done: boolean });
    expect(generated.at(-1)!.done).toBe(true);
    expect(generated.map((line) => line.response).join('')).toBe('Hello from fake');

    const embedded = (await postJson(`${harness.origin}/api/embed`, { model: 'coder:latest', input: ['chunk one'] })) as { embeddings: number[][] };
    expect(embedded.embeddings).toHaveLength(1);
  });
});

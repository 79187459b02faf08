/**
 * /api/show for aliases whose models Switchboard knows nothing about (issue 10): VS Code
 * Copilot's agent mode hides a model without `tools`, so a target on a cloud chat kind reports
 * completion and tools, a known family keeps what the family can do (vision), and an Ollama
 * target reports what its upstream reports.
 */
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

describe('/api/show capabilities without metadata for the model family', () => {
  let upstream: FakeOllama;
  let harness: Harness;
  let ollama: Ollama;

  beforeAll(async () => {
    upstream = await startFakeOllama();
    // Cloud providers that are never called: /api/show answers from what Switchboard knows.
    const nowhere = 'http://127.0.0.1:9';
    harness = await startGateway({
      providers: [
        { id: 'router', kind: 'openai', baseUrl: `${nowhere}/v1` },
        { id: 'claude', kind: 'anthropic', baseUrl: nowhere },
        { id: 'google', kind: 'gemini', baseUrl: nowhere },
        { id: 'azure', kind: 'azure-openai', baseUrl: `${nowhere}/`, options: { deployments: { 'house-model': 'house' } } },
        { id: 'local', kind: 'ollama', baseUrl: upstream.origin },
      ],
      aliases: [
        { alias: 'kimi', targets: [{ provider: 'router', model: 'moonshotai/kimi-k2' }] },
        { alias: 'house-claude', targets: [{ provider: 'claude', model: 'house-finetune' }] },
        { alias: 'house-gemini', targets: [{ provider: 'google', model: 'house-tuned' }] },
        { alias: 'house-azure', targets: [{ provider: 'azure', model: 'house-model' }] },
        { alias: 'vision-4o', targets: [{ provider: 'router', model: 'openai/gpt-4o' }] },
        { alias: 'local-vision', targets: [{ provider: 'local', model: 'qwen2.5vl:7b' }] },
        { alias: 'trimmed', targets: [{ provider: 'router', model: 'moonshotai/kimi-k2' }], metadata: { capabilities: ['completion'] } },
      ],
    });
    await harness.gateway.control.refreshModels({ providerId: 'local' });
    ollama = new Ollama({ host: harness.origin });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  it.each([
    ['kimi', ['completion', 'tools']],
    ['house-claude', ['completion', 'tools']],
    ['house-gemini', ['completion', 'tools']],
    ['house-azure', ['completion', 'tools']],
  ])('%s (a cloud kind, unknown family) reports completion and tools', async (alias, capabilities) => {
    const show = await ollama.show({ model: `${alias}:latest` });
    expect(show.capabilities).toEqual(capabilities);
    // Continue reads tools from the template.
    expect(show.template).toContain('.Tools');
  });

  it('a known family keeps what it can do (vision); the user can still take tools away', async () => {
    expect((await ollama.show({ model: 'vision-4o' })).capabilities).toEqual(['completion', 'tools', 'vision']);
    expect((await ollama.show({ model: 'trimmed' })).capabilities).toEqual(['completion']);
  });

  it('an Ollama target reports what its upstream reports', async () => {
    expect((await ollama.show({ model: 'local-vision' })).capabilities).toEqual(['completion', 'vision']);
  });

  it('/api/tags and /v1/models say the same', async () => {
    const { models } = await ollama.list();
    const tagged = models.find((model) => model.name === 'kimi:latest') as unknown as { capabilities: string[] };
    expect(tagged.capabilities).toEqual(['completion', 'tools']);
    const openai = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
    const listed = (await openai.models.list()).data.find((model) => model.id === 'house-claude') as unknown as Record<string, unknown>;
    expect(listed.capabilities).toEqual(['completion', 'tools']);
  });
});

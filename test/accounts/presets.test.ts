/**
 * The provider picker's presets: every service issue 16 names is there, each with a base URL the
 * engine accepts, a key hint and an https link to where the key is made. Read from the registry,
 * as the dashboard reads them (each provider folder declares its own).
 */
import { describe, expect, it } from 'vitest';
import { PROVIDER_SPOKES } from '../../src-proxy/providers/registry.ts';

const presets = PROVIDER_SPOKES.flatMap((spoke) => spoke.presets.map((preset) => ({ ...preset, kind: spoke.kind })));

const REQUIRED = [
  'OpenAI', 'OpenRouter', 'Anthropic', 'Google Gemini', 'Google Vertex AI', 'AWS Bedrock', 'Azure OpenAI', 'Groq', 'DeepSeek',
  'Mistral', 'xAI', 'Together', 'Fireworks', 'Cerebras', 'LM Studio', 'vLLM', 'Ollama (local)',
];

describe('provider presets', () => {
  it('cover every service the issue lists', () => {
    expect(presets.map((preset) => preset.name)).toEqual(expect.arrayContaining(REQUIRED));
  });

  it('have unique ids', () => {
    const ids = presets.map((preset) => preset.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(presets.filter((preset) => preset.group !== 'custom').map((preset) => [preset.name, preset] as const))('%s has a valid base URL, a key hint and a key link', (_name, preset) => {
    // Azure's resource name is the user's to fill in: the placeholder stands for one DNS label.
    const url = new URL(preset.baseUrl.replace('{resource}', 'resource'));
    expect(['https:', 'http:']).toContain(url.protocol);
    if (url.protocol === 'http:') {
      expect(preset.group).toBe('local');
      expect(url.hostname).toBe('127.0.0.1');
    }
    expect(url.search + url.hash).toBe('');
    expect(preset.keyHint.trim().length).toBeGreaterThan(5);
    const link = new URL(preset.keyUrl);
    expect(link.protocol).toBe('https:');
    expect(link.hostname).toMatch(/\.[a-z]{2,}$/);
    expect(preset.needsKey).toBe(preset.group !== 'local');
  });

  it('lets the custom preset be completed by the user', () => {
    const custom = presets.find((preset) => preset.group === 'custom');
    expect(custom).toMatchObject({ kind: 'openai', needsKey: false });
    expect(new URL(custom!.keyUrl).protocol).toBe('https:');
  });
});

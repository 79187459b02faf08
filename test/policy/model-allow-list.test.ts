import { describe, expect, it } from 'vitest';
import { compileAllowList } from '../../src-proxy/policy/model-allow-list.ts';

describe('allowed models of a client', () => {
  const cases: Array<[string[], string, boolean]> = [
    [['coder', 'claude-*'], 'coder', true],
    [['coder', 'claude-*'], 'claude-sonnet-4', true],
    [['coder', 'claude-*'], 'gpt-4o', false],
    [['coder', 'claude-*'], 'anthropic/claude-sonnet-4', false],
    [['*'], 'gpt-4o', true],
    [['*'], 'openrouter/openai/gpt-4o', false],
    [['openrouter/*'], 'openrouter/openai/gpt-4o', true],
    [['openrouter/*'], 'anthropic/claude-3', false],
    [['anthropic/claude-sonnet-4'], 'anthropic/claude-sonnet-4', true],
    [['gpt-4o'], 'gpt-4o-mini', false],
    [['gpt-4o.*'], 'gpt-4oX', false],
    [[], 'coder', false],
  ];
  it.each(cases)('%j allows %s: %s', (entries, model, allowed) => {
    const list = compileAllowList(entries);
    expect(list.allows(model)).toBe(allowed);
    expect(list.allows(model)).toBe(allowed); // remembered answer
  });
});

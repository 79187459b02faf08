import { describe, expect, it, vi } from 'vitest';
import type { AliasInfo, RoutingRule } from '../../src-proxy/domain/alias.ts';
import { describeRule } from '../../src-proxy/domain/alias.ts';
import type { ChatRequest } from '../../src-proxy/canonical/types.ts';
import { applyRoutingRules, canonicalFacts, estimateInputTokens, globMatches, isThinking, pickRule, type RequestFacts } from '../../src-proxy/routing/routing-rules.ts';
import type { Resolution } from '../../src-proxy/routing/resolve-model.ts';

const target = (address: string) => ({ provider: address.slice(0, address.indexOf('/')), model: address.slice(address.indexOf('/') + 1) });

/** The example alias. */
const RULES: RoutingRule[] = [
  { when: { thinking: true }, targets: [target('anthropic/claude-opus-4-1')] },
  { when: { inputTokensOver: 60_000 }, targets: [target('gemini/gemini-2.5-pro')] },
  { when: { modelMatches: 'claude-*haiku*' }, targets: [target('groq/llama-3.3-70b')] },
  { when: { client: 'ci-bot' }, targets: [target('ollama/qwen3-coder')] },
  { when: { hasImages: true }, targets: [target('openai/gpt-4o')] },
];

function alias(name: string, rules: RoutingRule[] = RULES): AliasInfo {
  return { alias: name, targets: [target('openrouter/anthropic/claude-sonnet-4')], rules, exposed: true, metadata: {}, cache: null, createdAt: 0, updatedAt: 0, managedBy: null };
}

function facts(partial: Partial<{ model: string; client: string; thinking: boolean; inputTokens: number; hasImages: boolean }> = {}): RequestFacts {
  return {
    model: partial.model ?? 'claude-sonnet-4-5',
    client: partial.client ?? 'claude-code',
    thinking: () => partial.thinking ?? false,
    inputTokens: () => partial.inputTokens ?? 1000,
    hasImages: () => partial.hasImages ?? false,
  };
}

const resolution = (info: AliasInfo, via: Resolution['via'] = 'wildcard'): Resolution => ({ via, alias: info, targets: info.targets });

describe('routing rules', () => {
  it.each([
    ['thinking', { thinking: true }, 'anthropic/claude-opus-4-1', '#1 thinking'],
    ['a long context', { inputTokens: 80_000 }, 'gemini/gemini-2.5-pro', '#2 input > 60000 tokens'],
    ["Claude Code's background (haiku) model", { model: 'claude-3-5-haiku-20241022' }, 'groq/llama-3.3-70b', '#3 model ~ claude-*haiku*'],
    ['one client', { client: 'ci-bot' }, 'ollama/qwen3-coder', '#4 client ci-bot'],
    ['images', { hasImages: true }, 'openai/gpt-4o', '#5 has images'],
  ])('%s puts the rule targets first and keeps the default targets behind them', (_name, given, first, label) => {
    const ruled = applyRoutingRules(resolution(alias('claude-*')), facts(given));
    expect(`${ruled.targets[0]!.provider}/${ruled.targets[0]!.model}`).toBe(first);
    expect(ruled.targets.at(-1)).toEqual(target('openrouter/anthropic/claude-sonnet-4'));
    expect(ruled.rule).toBe(label);
  });

  it('the first matching rule wins; no match leaves the default targets and no rule', () => {
    expect(pickRule(RULES, facts({ thinking: true, client: 'ci-bot' }))?.index).toBe(0);
    const none = applyRoutingRules(resolution(alias('claude-*')), facts());
    expect(none.rule).toBeNull();
    expect(none.targets).toEqual([target('openrouter/anthropic/claude-sonnet-4')]);
  });

  it('every condition of a rule must hold', () => {
    const rules: RoutingRule[] = [{ when: { client: 'ci-bot', thinking: true }, targets: [target('a/b')] }];
    expect(pickRule(rules, facts({ client: 'ci-bot' }))).toBeNull();
    expect(pickRule(rules, facts({ client: 'ci-bot', thinking: true }))?.index).toBe(0);
  });

  it('reads thinking, images and the input size only when a rule needs them, cheap conditions first', () => {
    const request = vi.fn((): ChatRequest => ({ model: 'm', system: [], messages: [], stream: false, extra: {} }));
    const onlyCheap: RoutingRule[] = [{ when: { client: 'ci-bot' }, targets: [target('a/b')] }, { when: { modelMatches: 'gpt-*' }, targets: [target('a/c')] }];
    applyRoutingRules(resolution(alias('x', onlyCheap), 'alias'), canonicalFacts('claude-x', 'other', request));
    expect(request).not.toHaveBeenCalled();
    // A failing client condition spares the parse the thinking condition would need.
    applyRoutingRules(resolution(alias('x', [{ when: { client: 'ci-bot', thinking: true }, targets: [target('a/b')] }]), 'alias'), canonicalFacts('m', 'other', request));
    expect(request).not.toHaveBeenCalled();
    applyRoutingRules(resolution(alias('x', [{ when: { thinking: true }, targets: [target('a/b')] }, { when: { hasImages: true }, targets: [target('a/c')] }]), 'alias'), canonicalFacts('m', 'c', request));
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('a wildcard alias fills the matched text into rule targets too, and a target in both lists is tried once', () => {
    const info = alias('claude-*', [{ when: { client: 'ci-bot' }, targets: [target('anthropic/claude-*'), target('openrouter/anthropic/claude-sonnet-4')] }]);
    const ruled = applyRoutingRules(resolution(info), facts({ client: 'ci-bot', model: 'claude-sonnet-4-5' }));
    expect(ruled.targets).toEqual([target('anthropic/claude-sonnet-4-5'), target('openrouter/anthropic/claude-sonnet-4')]);
  });

  it('an alias without rules is returned as it was', () => {
    const info = alias('plain', []);
    expect(applyRoutingRules(resolution(info, 'alias'), facts())).toEqual({ ...resolution(info, 'alias'), rule: null });
  });

  it('model patterns are case-insensitive globs with any number of stars', () => {
    expect(globMatches('claude-*haiku*', 'Claude-3-5-HAIKU-latest')).toBe(true);
    expect(globMatches('claude-*haiku*', 'claude-sonnet-4')).toBe(false);
    expect(globMatches('gpt-4o', 'GPT-4o')).toBe(true);
  });

  it('names a rule by its name, else by what it looks at', () => {
    expect(describeRule({ name: 'background', when: { modelMatches: 'x' }, targets: [] }, 0)).toBe('background');
    expect(describeRule({ when: { thinking: false, hasImages: false }, targets: [] }, 2)).toBe('#3 no thinking, no images');
  });
});

describe('request facts', () => {
  const base: ChatRequest = { model: 'm', system: [{ type: 'text', text: 'x'.repeat(400) }], messages: [], stream: false, extra: {} };

  it('thinking: any reasoning that is not turned off (a "minimal" effort does not count)', () => {
    expect(isThinking(base)).toBe(false);
    expect(isThinking({ ...base, reasoning: { enabled: true, budgetTokens: 1024 } })).toBe(true);
    expect(isThinking({ ...base, reasoning: { effort: 'high' } })).toBe(true);
    expect(isThinking({ ...base, reasoning: { adaptive: true } })).toBe(true);
    expect(isThinking({ ...base, reasoning: { effort: 'minimal' } })).toBe(false);
    expect(isThinking({ ...base, reasoning: { enabled: false } })).toBe(false);
  });

  it('input tokens: about four characters each, a fixed price per image, tools and tool results counted', () => {
    const request: ChatRequest = {
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'y'.repeat(800) }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'read', arguments: '{"path":"a.ts"}' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'z'.repeat(400) }] }] },
      ],
    };
    const tokens = estimateInputTokens(request);
    expect(tokens).toBeGreaterThan(Math.floor((400 + 800 + 400) / 4) + 1000);
    expect(tokens).toBeLessThan(Math.floor((400 + 800 + 400) / 4) + 1000 + 20);
    const facts = canonicalFacts('m', 'c', () => request);
    expect(facts.hasImages()).toBe(true);
  });
});

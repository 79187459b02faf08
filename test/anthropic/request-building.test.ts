/**
 * Canonical request → Anthropic body: the turn rules Anthropic enforces, table by table.
 */
import { describe, expect, it } from 'vitest';
import { createSignatureCache } from '../../src-proxy/canonical/signature-cache.ts';
import type { ChatRequest, Message, ThinkingPart } from '../../src-proxy/canonical/types.ts';
import { buildAnthropicBody } from '../../src-proxy/wire/anthropic/messages-request.ts';
import type { ResolvedTarget } from '../../src-proxy/providers/types.ts';

const target = { provider: { id: 'claude' }, model: 'claude-up', key: null } as unknown as ResolvedTarget;

function request(messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'alias', system: [], messages, stream: false, extra: {}, ...extra };
}

describe('canonical request → Anthropic body', () => {
  it('merges system prompts, defaults max_tokens, clamps temperature and prefers it over top_p', () => {
    const body = buildAnthropicBody(
      request([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], {
        system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }],
        temperature: 1.7,
        topP: 0.5,
        stop: ['END', '  '],
      }),
      target,
      { signatures: createSignatureCache<readonly ThinkingPart[]>(), defaultMaxTokens: 4321 },
    );
    expect(body).toMatchObject({ model: 'claude-up', system: 'A\n\nB', max_tokens: 4321, temperature: 1, stop_sequences: ['END'] });
    expect(body.top_p).toBeUndefined();
  });

  it('groups consecutive tool results into one user turn, results first, and keeps roles alternating', () => {
    const body = buildAnthropicBody(
      request([
        { role: 'user', content: [{ type: 'text', text: 'Go' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call.1', name: 'a', arguments: '{"x":1}' }, { type: 'tool_call', id: 'call_2', name: 'b', arguments: '' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call.1', content: [{ type: 'text', text: 'r1' }] }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_2', content: [{ type: 'text', text: 'r2' }], isError: true }] },
        { role: 'user', content: [{ type: 'text', text: 'and?' }] },
      ]),
      target,
      { signatures: createSignatureCache<readonly ThinkingPart[]>(), defaultMaxTokens: 100 },
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'a', input: { x: 1 } }, { type: 'tool_use', id: 'call_2', name: 'b', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'r1' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'r2', is_error: true },
          { type: 'text', text: 'and?' },
        ],
      },
    ]);
  });

  it('maps images, tools, tool choice and parallel-call control', () => {
    const body = buildAnthropicBody(
      request([{ role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }], {
        tools: [{ type: 'function', name: 'f', description: 'd', parameters: { properties: {} } }],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
      }),
      target,
      { signatures: createSignatureCache<readonly ThinkingPart[]>(), defaultMaxTokens: 100 },
    );
    expect((body.messages as Array<{ content: unknown }>)[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
      { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
    ]);
    expect(body.tools).toEqual([{ name: 'f', description: 'd', input_schema: { type: 'object', properties: {} } }]);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('refuses another dialect\'s native tools with an actionable error', () => {
    expect(() =>
      buildAnthropicBody(request([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], { tools: [{ type: 'native', dialect: 'openai', name: 'web_search', raw: {} }] }), target, {
        signatures: createSignatureCache<readonly ThinkingPart[]>(),
        defaultMaxTokens: 100,
      }),
    ).toThrow(/specific to openai/);
  });

  it('puts remembered signed thinking back before the tool call and drops unsigned or foreign reasoning', () => {
    const signatures = createSignatureCache<readonly ThinkingPart[]>();
    signatures.remember('toolu_1', [{ type: 'thinking', text: 'plan', signature: { provider: 'anthropic', value: 'SIG' } }]);
    const body = buildAnthropicBody(
      request(
        [
          { role: 'user', content: [{ type: 'text', text: 'Go' }] },
          { role: 'assistant', content: [{ type: 'thinking', text: 'plan' }, { type: 'tool_call', id: 'toolu_1', name: 'a', arguments: '{}' }] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'ok' }] }] },
        ],
        { reasoning: { effort: 'high' }, temperature: 0.3 },
      ),
      target,
      { signatures, defaultMaxTokens: 32000 },
    );
    expect((body.messages as Array<{ content: unknown[] }>)[1]!.content[0]).toEqual({ type: 'thinking', thinking: 'plan', signature: 'SIG' });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    // Anthropic accepts no temperature with thinking on.
    expect(body.temperature).toBeUndefined();

    const foreign = buildAnthropicBody(
      request([{ role: 'assistant', content: [{ type: 'thinking', text: 'g', signature: { provider: 'gemini', value: 'G' } }, { type: 'text', text: 'hi' }] }]),
      target,
      { signatures, defaultMaxTokens: 100 },
    );
    expect(foreign.messages).toEqual([{ role: 'assistant', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('leaves thinking off for a tool-loop turn whose signed thinking was lost, and keeps budget below max_tokens', () => {
    const lost = buildAnthropicBody(
      request(
        [
          { role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_unknown', name: 'a', arguments: '{}' }] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'toolu_unknown', content: [{ type: 'text', text: 'ok' }] }] },
        ],
        { reasoning: { enabled: true, budgetTokens: 2048 } },
      ),
      target,
      { signatures: createSignatureCache<readonly ThinkingPart[]>(), defaultMaxTokens: 8192 },
    );
    expect(lost.thinking).toBeUndefined();

    const small = buildAnthropicBody(request([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], { maxTokens: 3000, reasoning: { enabled: true, budgetTokens: 8000 } }), target, {
      signatures: createSignatureCache<readonly ThinkingPart[]>(),
      defaultMaxTokens: 8192,
    });
    expect(small).toMatchObject({ max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 2999 } });
  });
});

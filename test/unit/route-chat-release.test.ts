// @vitest-environment node
/**
 * A coding agent's turn that ends in a tool result is read for tool loops (http/route-chat.ts):
 * the canonical request that check parses holds the whole conversation's strings, and must not
 * live through the upstream wait (ten 64 KB turns in flight at c=10, each surviving the young
 * generation's scavenges). A translated attempt keeps it: it is what goes upstream there.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import type { ChatRequest } from '../../src-proxy/canonical/types.ts';
import { DEFAULT_SETTINGS } from '../../src-proxy/domain/settings.ts';
import type { DialectContext } from '../../src-proxy/http/dialect-context.ts';
import type { Exchange } from '../../src-proxy/http/exchange.ts';
import { routeChat } from '../../src-proxy/http/route-chat.ts';
import type { NativeCall, ProviderAdapter, ResolvedTarget } from '../../src-proxy/providers/types.ts';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** An agent's conversation ending in a tool result, as the canonical reader gives it (a new tree per parse). */
function toolTurn(): ChatRequest {
  const messages: ChatRequest['messages'] = [{ role: 'user', content: [{ type: 'text', text: 'fix the parser' }] }];
  for (let turn = 0; turn < 3; turn++) {
    messages.push({ role: 'assistant', content: [{ type: 'tool_call', id: `c${turn}`, name: 'read_file', arguments: `{"path":"part-${turn}.ts"}` }] });
    messages.push({ role: 'tool', content: [{ type: 'tool_result', toolCallId: `c${turn}`, content: [{ type: 'text', text: 'x'.repeat(1000) }] }] } as ChatRequest['messages'][number]);
  }
  return { model: 'm', system: [], messages, stream: false, extra: {} };
}

/** A gateway's context and exchange around one target whose upstream answers only when told. */
function setup(native: boolean) {
  const target = { provider: { id: 'p', kind: 'openai', limits: undefined }, model: 'upstream-m', key: null } as unknown as ResolvedTarget;
  let answer!: (value: unknown) => void;
  const upstream = new Promise((resolve) => (answer = resolve));
  const adapter = {
    supportsNative: () => native,
    forward: () => upstream,
    chat: () => upstream,
  } as unknown as ProviderAdapter;
  const waiting = vi.fn();
  const context = {
    settings: () => ({ ...DEFAULT_SETTINGS, commands: { ...DEFAULT_SETTINGS.commands, enabled: false } }),
    sessions: { get: () => undefined, open: () => ({ loopsFound: 0 }) },
    router: {
      resolve: () => ({ alias: null, targets: [target] }),
      run: async (_resolution: unknown, _attempts: unknown, _signal: unknown, call: (t: ResolvedTarget, a: ProviderAdapter) => Promise<unknown>) => {
        const calling = call(target, adapter);
        waiting();
        return { result: await calling, target, adapter };
      },
    },
    upstreamContext: () => ({}),
    refreshStaleModels: async () => undefined,
    policy: { admit: () => ({ lease: { key: 'tokenless', at: 0, estimatedTokens: 0 }, caller: {} }), checkAccess: () => undefined },
  } as unknown as DialectContext;
  const exchange = { attempts: [], abort: new AbortController(), request: { headers: { 'content-length': '4000' } }, reply: { raw: { setHeader: () => undefined } }, client: 'agent', admitted: null, sessionId: null } as unknown as Exchange;
  return { context, exchange, waiting, answer: () => answer({ response: { status: 200, headers: {} }, body: [] }) };
}

/** Runs one call to its upstream wait; answers whether the conversation parsed before it was still alive then. */
async function parsedAliveDuringWait(native: boolean): Promise<{ alive: boolean; parses: number }> {
  const { context, exchange, waiting, answer } = setup(native);
  let parsed: WeakRef<ChatRequest> | null = null;
  let parses = 0;
  const toCanonical = () => {
    const request = toolTurn();
    parses++;
    parsed ??= new WeakRef(request);
    return request;
  };
  const call: NativeCall = { endpoint: 'openai.chat', body: {}, stream: false };
  const routing = routeChat(context, exchange, { model: 'm', native: call, toCanonical, peek: { sessionSeed: () => ({ system: [], firstUser: 'fix the parser' }), mayEndInToolCalls: () => true } });
  await vi.waitFor(() => expect(waiting).toHaveBeenCalled());
  // Another task: a WeakRef target read in this one is kept until it ends.
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  const alive = (parsed as WeakRef<ChatRequest> | null)?.deref() !== undefined;
  answer();
  await routing;
  return { alive, parses };
}

/** Runs one fast-path call with a peek that counts `repeats` trailing tool calls; answers how often the conversation was parsed. */
async function parsesWithRepeats(repeats: number | null): Promise<number> {
  const { context, exchange, answer } = setup(true);
  let parses = 0;
  const toCanonical = () => {
    parses++;
    return toolTurn();
  };
  const call: NativeCall = { endpoint: 'openai.chat', body: {}, stream: false };
  const peek = { sessionSeed: () => ({ system: [], firstUser: 'fix the parser' }), mayEndInToolCalls: () => true, toolCallRepeats: () => repeats };
  const routing = routeChat(context, exchange, { model: 'm', native: call, toCanonical, peek });
  answer();
  await routing;
  return parses;
}

describe('routeChat: the tool-loop check and the body peek', () => {
  it('takes a repeat count below the limit from the peek (no canonical parse for a turn ending in a tool result)', async () => {
    expect(DEFAULT_SETTINGS.loopDetection.toolCalls.maxRepeats).toBe(4);
    expect(await parsesWithRepeats(1)).toBe(0);
    expect(await parsesWithRepeats(3)).toBe(0);
  });

  it('reads the canonical request when the peek counts the limit or cannot tell', async () => {
    expect(await parsesWithRepeats(4)).toBe(1);
    expect(await parsesWithRepeats(null)).toBe(1);
  });
});

describe('routeChat and the conversation read for tool loops', () => {
  it('lets the canonical request go before the fast path waits on the upstream', async () => {
    const { alive, parses } = await parsedAliveDuringWait(true);
    expect(parses).toBe(1);
    expect(alive).toBe(false);
  });

  it('keeps it for a translated attempt, which sends it', async () => {
    const { alive, parses } = await parsedAliveDuringWait(false);
    expect(parses).toBe(1);
    expect(alive).toBe(true);
  });
});

/**
 * The in-chat commands and session state of one chat request (the policy step's part of
 * routeChat): commands in the last user turn apply to the session, a turn of commands only (or a
 * malformed one) is answered by Switchboard, command lines leave every turn sent upstream, and
 * the session's `!/model` and `!/set` overrides change where and how the request goes. A request
 * whose body does not hold the prefix and whose session keeps no state costs one substring check
 * and one size check.
 */
import type { ChatRequest } from '../canonical/types.ts';
import { mayHoldPrefix } from '../policy/command-parse.ts';
import { applyCommands, applySessionOverrides, hasOverrides } from '../policy/command-step.ts';
import { readCommands, type ConversationCommands } from '../policy/command-strip.ts';
import type { SessionState } from '../policy/session-state.ts';
import { callerOf } from './admit-call.ts';
import { clientTokenOf } from './client-identity.ts';
import type { DialectContext } from './dialect-context.ts';
import type { Exchange } from './exchange.ts';
import { rawBodyOf } from './raw-body.ts';

export interface CommandTurn {
  /** Where the request goes: the session's `!/model`, or the model it names. */
  model: string;
  /** The session's state, when it keeps any. */
  state: SessionState | undefined;
  /** Switchboard's own answer (commands only, or malformed): no provider is called. */
  answer: string | null;
  /** `!/help` / `!/status` beside a question: their answer, shown as a note ahead of the reply (policy/command-note.ts). */
  note: string | null;
  /** How the canonical request changes (commands stripped, overrides applied); null: it does not, and the fast path stays open. */
  rewrite: ((request: ChatRequest) => ChatRequest) | null;
}

/**
 * The turn's commands applied and what they change. A promise only when the last user turn holds
 * commands (applying them may read usage); every other request gets its answer at once.
 */
export function commandTurn(context: DialectContext, exchange: Exchange, model: string, conversation: () => ChatRequest | null): CommandTurn | Promise<CommandTurn> {
  const read = readTurn(context, exchange, conversation);
  if (!read?.last) return turnOf(context, exchange, model, read, null, null);
  const last = read.last;
  exchange.commands = last.malformed.length === 0 && last.written.length > 0 ? last.written : null;
  return applyCommands(last, {
    prefix: context.settings().commands.prefix,
    states: context.sessions,
    sessionId: exchange.sessionId,
    requested: model,
    describeRoute: (name) => describeRoute(context, exchange, name),
    describeClient: () => describeClient(context, exchange),
    loopDefault: context.settings().loopDetection.enabled,
  }).then((text) => {
    if (read.onlyCommands || last.malformed.length > 0) return turnOf(context, exchange, model, read, text, null);
    if (last.commands.some((command) => command.name === 'help' || command.name === 'status')) return turnOf(context, exchange, model, read, null, text);
    return turnOf(context, exchange, model, read, null, null);
  });
}

/** The session's state after the commands (if any) applied: where the request goes and how it changes. */
function turnOf(context: DialectContext, exchange: Exchange, model: string, read: ConversationCommands | null, answer: string | null, note: string | null): CommandTurn {
  const state = exchange.sessionId === null ? undefined : context.sessions.get(exchange.sessionId);
  const overrides = hasOverrides(state) ? state!.overrides : null;
  const rewrite =
    read || overrides
      ? (request: ChatRequest) => {
          const stripped = read ? read.stripped : request;
          return overrides ? applySessionOverrides(stripped, overrides) : stripped;
        }
      : null;
  return { model: state?.model ?? model, state, answer, note, rewrite };
}

/** The commands in the conversation, when commands are on for this client and the body may hold them. */
function readTurn(context: DialectContext, exchange: Exchange, conversation: () => ChatRequest | null): ConversationCommands | null {
  const { commands } = context.settings();
  if (!commands.enabled || clientTokenOf(exchange.request) === null) return null;
  const raw = rawBodyOf(exchange.request);
  if (raw !== undefined && !mayHoldPrefix(raw, commands.prefix) && !holdsText(exchange.keptTurns, commands.prefix)) return null;
  const request = conversation();
  return request && readCommands(request, commands.prefix);
}

function describeRoute(context: DialectContext, exchange: Exchange, model: string): string {
  if (!context.policy.allowsModel(callerOf(exchange.request), model)) throw new Error('this client token may not use it');
  const { targets } = context.router.resolve(model);
  return `${model} → ${targets.map((target) => `${target.provider}/${target.model}`).join(', ')}`;
}

async function describeClient(context: DialectContext, exchange: Exchange): Promise<string[]> {
  const token = clientTokenOf(exchange.request);
  const limits = Object.entries(token?.limits ?? {}).filter(([, value]) => value !== undefined);
  const usage = await context.policy.usage(exchange.clientKey);
  const spend = (label: string, totals: typeof usage.today) =>
    `${label}: ${totals.requests} requests, ${totals.inputTokens + totals.outputTokens} tokens, $${totals.costUsd.toFixed(4)}${totals.unpricedRequests ? ` (${totals.unpricedRequests} unpriced)` : ''}`;
  return [
    `Client: ${exchange.client}`,
    `Limits: ${limits.length === 0 ? 'none' : limits.map(([key, value]) => `${key}=${value}`).join(', ')}`,
    spend('Spend today', usage.today),
    spend('Spend this month', usage.thisMonth),
  ];
}

/** Whether any string in kept turns holds the prefix (a walk, no copy); none kept: false. */
function holdsText(value: unknown, prefix: string, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(prefix);
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  for (const inner of Array.isArray(value) ? value : Object.values(value)) if (holdsText(inner, prefix, depth + 1)) return true;
  return false;
}

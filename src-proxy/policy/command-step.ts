/**
 * Applies one turn's in-chat commands to its session and says what happened, as the text of
 * Switchboard's answer: confirmations, `!/help` (the list and the session's state), `!/status`
 * (route, overrides, limits and spend), or the syntax of what was malformed (then nothing
 * applies). What the gateway knows (routes, access, spend) comes in as functions.
 */
import { withFields } from '../wire/with-fields.ts';
import type { ChatRequest } from '../canonical/types.ts';
import { commandSyntax, WRITTEN_KEY, type CommandScan, type OverrideKey, type SessionOverrides } from './command-parse.ts';
import type { SessionState, SessionStates } from './session-state.ts';

export interface CommandStepDeps {
  prefix: string;
  states: SessionStates;
  sessionId: string | null;
  /** The model the client's request names. */
  requested: string;
  /** Where a model name goes ("alias → provider/model, …"), or throws why it cannot be used. */
  describeRoute(model: string): string;
  /** The client's limits and spend, as lines. */
  describeClient(): Promise<string[]>;
  loopDefault: boolean;
}

/** Applies the commands (none when one is malformed) and returns Switchboard's answer text. */
export async function applyCommands(scan: CommandScan, deps: CommandStepDeps): Promise<string> {
  const { prefix } = deps;
  if (scan.malformed.length > 0) {
    return ['Switchboard did not apply these commands:', ...scan.malformed.map((line) => `- ${line}`), `Nothing was changed. ${prefix}help lists every command.`].join('\n');
  }
  const state = stateFor(deps);
  if (typeof state === 'string') return state;
  const lines: string[] = [];
  for (const command of scan.commands) {
    switch (command.name) {
      case 'help':
        lines.push('Switchboard commands (a line of a message that starts with them):', ...Object.values(commandSyntax(prefix)).map((line) => `- ${line}`), '', ...describeState(state, deps));
        break;
      case 'status':
        lines.push(...describeState(state, deps), ...(await deps.describeClient()));
        break;
      case 'model':
        if (command.model === null) {
          state.model = null;
          lines.push(`Model: back to the one the client asks for (${deps.requested}).`);
          break;
        }
        try {
          lines.push(`Model: this session now goes to ${deps.describeRoute(command.model)}.`);
          state.model = command.model;
        } catch (error) {
          lines.push(`Model ${command.model} cannot be used: ${error instanceof Error ? error.message : String(error)}. The session keeps ${state.model ?? deps.requested}.`);
        }
        break;
      case 'set':
        Object.assign(state.overrides, command.values);
        lines.push(`Overrides: ${describeOverrides(state.overrides)}.`);
        break;
      case 'unset':
        for (const key of command.keys) delete state.overrides[key];
        lines.push(`Overrides: ${describeOverrides(state.overrides)}.`);
        break;
      case 'loop':
        state.loops = command.on;
        lines.push(`Loop detection: ${command.on ? 'on' : 'off'} for this session.`);
        break;
    }
  }
  return lines.join('\n');
}

/** The session's state, or why there is none (no session id to keep it under). */
function stateFor(deps: CommandStepDeps): SessionState | string {
  if (deps.sessionId === null) {
    return 'Switchboard cannot keep session settings for this request: it names no session. Send an x-session-id header (or turn session derivation on in the settings).';
  }
  return deps.states.open(deps.sessionId);
}

function describeState(state: SessionState, deps: CommandStepDeps): string[] {
  const model = state.model ?? deps.requested;
  let route: string;
  try {
    route = deps.describeRoute(model);
  } catch (error) {
    route = `${model} (${error instanceof Error ? error.message : String(error)})`;
  }
  const loops = deps.loopDefault ? (state.loops ? 'on' : 'off for this session') : 'off in the settings';
  return [
    `Session: ${deps.sessionId}`,
    `Route: ${route}${state.model ? ` (set by ${deps.prefix}model)` : ''}`,
    `Overrides: ${describeOverrides(state.overrides)}`,
    `Loop detection: ${loops}; loops found in this session: ${state.loopsFound}`,
  ];
}

export function describeOverrides(overrides: SessionOverrides): string {
  const entries = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? 'none' : entries.map(([key, value]) => `${WRITTEN_KEY[key as OverrideKey]}=${value}`).join(', ');
}

/** The request as the session's overrides change it (the same request when it has none). */
export function applySessionOverrides(request: ChatRequest, overrides: SessionOverrides): ChatRequest {
  if (Object.keys(overrides).length === 0) return request;
  const next: ChatRequest = { ...request };
  if (overrides.temperature !== undefined) next.temperature = overrides.temperature;
  if (overrides.topP !== undefined) next.topP = overrides.topP;
  if (overrides.maxTokens !== undefined) next.maxTokens = overrides.maxTokens;
  if (overrides.reasoning === 'off') next.reasoning = { enabled: false };
  else if (overrides.reasoning !== undefined) next.reasoning = withFields(next.reasoning ?? {}, { enabled: true, effort: overrides.reasoning });
  return next;
}

export function hasOverrides(state: SessionState | undefined): boolean {
  return state !== undefined && Object.keys(state.overrides).length > 0;
}

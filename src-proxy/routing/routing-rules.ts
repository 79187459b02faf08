/**
 * Routing rules of an alias: tried in order before its default targets; the first rule whose
 * conditions all hold puts its targets in front (the default targets stay behind them as the
 * fallback). Pure. Facts are read lazily, so rules that only look at the client or the model
 * name never make the request be parsed (the same-dialect fast path stays as fast).
 */
import { withFields } from '../wire/with-fields.ts';
import { describeRule, type AliasTarget, type RoutingRule, type RuleCondition } from '../domain/alias.ts';
import type { ChatRequest } from '../canonical/types.ts';
import { wildcardMatch, type Resolution } from './resolve-model.ts';

/** What rules look at; each getter is called only when a rule needs it. */
export interface RequestFacts {
  /** The model name the client asked for. */
  model: string;
  /** The client's name (its token's name). */
  client: string;
  thinking(): boolean;
  /** Estimated input tokens. */
  inputTokens(): number;
  hasImages(): boolean;
}

/** A resolution after rules: which rule led (its label for the history), if any. */
export interface RuledResolution extends Resolution {
  rule: string | null;
}

/** A glob where `*` matches any text (several stars allowed); case-insensitive. */
export function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern.toLowerCase() === name.toLowerCase();
  return wildcardMatch(pattern.toLowerCase(), name.toLowerCase()) !== null;
}

export function ruleMatches(when: RuleCondition, facts: RequestFacts): boolean {
  // Cheap conditions first: a failing one spares the parsing the others need.
  if (when.client !== undefined && when.client !== facts.client) return false;
  if (when.modelMatches !== undefined && !globMatches(when.modelMatches, facts.model)) return false;
  if (when.thinking !== undefined && when.thinking !== facts.thinking()) return false;
  if (when.hasImages !== undefined && when.hasImages !== facts.hasImages()) return false;
  if (when.inputTokensOver !== undefined && !(facts.inputTokens() > when.inputTokensOver)) return false;
  return true;
}

/** The first rule that matches, with its position. */
export function pickRule(rules: readonly RoutingRule[], facts: RequestFacts): { rule: RoutingRule; index: number } | null {
  for (const [index, rule] of rules.entries()) if (ruleMatches(rule.when, facts)) return { rule, index };
  return null;
}

const sameTarget = (a: AliasTarget, b: AliasTarget) => a.provider === b.provider && a.model === b.model;

/**
 * The resolution with the matching rule's targets first. A wildcard alias fills the text its `*`
 * matched into rule targets as into its default ones. Unchanged when the alias has no rules.
 */
export function applyRoutingRules(resolution: Resolution, facts: RequestFacts): RuledResolution {
  const rules = resolution.alias?.rules;
  if (!rules || rules.length === 0) return withFields(resolution, { rule: null });
  const picked = pickRule(rules, facts);
  if (!picked) return withFields(resolution, { rule: null });
  const captured = resolution.via === 'wildcard' && resolution.alias ? wildcardMatch(resolution.alias.alias, facts.model) : null;
  const ruleTargets = picked.rule.targets.map((target) => (captured === null ? target : withFields(target, { model: target.model.replace('*', captured) })));
  const fallback = resolution.targets.filter((target) => !ruleTargets.some((first) => sameTarget(first, target)));
  return withFields(resolution, { targets: [...ruleTargets, ...fallback], rule: describeRule(picked.rule, picked.index) });
}

const CHARS_PER_TOKEN = 4;
/** A rough price of one image in tokens (providers charge roughly 500–1500). */
const IMAGE_TOKENS = 1000;

/** Facts of a canonical request (thinking, images, ~input tokens), each computed once. */
export function canonicalFacts(model: string, client: string, request: () => ChatRequest): RequestFacts {
  let thinking: boolean | undefined;
  let images: boolean | undefined;
  let tokens: number | undefined;
  return {
    model,
    client,
    thinking: () => (thinking ??= isThinking(request())),
    hasImages: () => (images ??= request().messages.some((message) => message.role !== 'assistant' && message.content.some(holdsImage))),
    inputTokens: () => (tokens ??= estimateInputTokens(request())),
  };
}

function holdsImage(part: { type: string; content?: ReadonlyArray<{ type: string }> }): boolean {
  return part.type === 'image' || (part.type === 'tool_result' && (part.content ?? []).some((inner) => inner.type === 'image'));
}

export function isThinking(request: ChatRequest): boolean {
  const reasoning = request.reasoning;
  if (!reasoning || reasoning.enabled === false) return false;
  return reasoning.enabled === true || reasoning.adaptive === true || reasoning.budgetTokens !== undefined || (reasoning.effort !== undefined && reasoning.effort !== 'minimal');
}

/** About four characters per token over every text the model reads, a fixed price per image. */
export function estimateInputTokens(request: ChatRequest): number {
  let chars = 0;
  let images = 0;
  for (const part of request.system) chars += part.text.length;
  for (const message of request.messages) {
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'thinking':
          chars += part.text.length;
          break;
        case 'tool_call':
          chars += part.name.length + part.arguments.length;
          break;
        case 'tool_result':
          for (const inner of part.content) {
            if (inner.type === 'text') chars += inner.text.length;
            else images += 1;
          }
          break;
        case 'image':
          images += 1;
          break;
        case 'document':
          chars += part.source.kind === 'text' ? part.source.text.length : 0;
          break;
      }
    }
  }
  for (const tool of request.tools ?? []) chars += JSON.stringify(tool.type === 'function' ? tool.parameters : tool.raw).length + (tool.name?.length ?? 0);
  return Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS;
}

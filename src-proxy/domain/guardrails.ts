/**
 * Agent guardrails as settings and records: sessions (what ties a conversation's requests
 * together), in-chat commands, and loop detection (a repeated paragraph, a repeated tool call).
 * Shapes, schemas and defaults only; policy/ and taps/ enforce them.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { DEFAULT_COMMAND_PREFIX } from './command-help.ts';

/** In-chat commands (`!/help`, `!/model(…)` …): on by default for clients with a token. */
export const commandsSettingsSchema = lazySchema(() =>
  z
    .object({
      enabled: z.boolean(),
      /** What starts a command at the beginning of a line of a user message. */
      prefix: z
        .string()
        .min(1)
        .max(8)
        .regex(/^[^\sA-Za-z0-9(),=]+$/, 'a prefix is 1–8 punctuation characters, such as "!/"'),
    })
    .strict(),
);
export type CommandsSettings = z.infer<typeof commandsSettingsSchema>;

export const TEXT_LOOP_MODES = ['block', 'warn'] as const;
export const TOOL_LOOP_MODES = ['block', 'warn', 'chance_then_block'] as const;
export type TextLoopMode = (typeof TEXT_LOOP_MODES)[number];
export type ToolLoopMode = (typeof TOOL_LOOP_MODES)[number];

const toolLoopFields = lazySchema(() =>
  z
    .object({
      enabled: z.boolean(),
      mode: z.enum(TOOL_LOOP_MODES),
      /** The call that makes this many identical calls in a row is the loop. */
      maxRepeats: z.number().int().min(2).max(100),
    })
    .strict(),
);

const loopDetectionFields = lazySchema(() =>
  z
    .object({
      /** Text loops: a pattern repeated while an answer streams. */
      enabled: z.boolean(),
      mode: z.enum(TEXT_LOOP_MODES),
      /** Pattern length in characters, whitespace not counted. */
      minPatternLength: z.number().int().min(10).max(5000),
      maxPatternLength: z.number().int().min(10).max(5000),
      /** Back-to-back copies of the pattern that make a loop. */
      minRepetitions: z.number().int().min(2).max(50),
      /** Tool-call loops: the same tool with the same arguments, call after call. */
      toolCalls: toolLoopFields,
    })
    .strict(),
);

export const loopDetectionSettingsSchema = lazySchema(() =>
  loopDetectionFields.refine((value) => value.minPatternLength <= value.maxPatternLength, {
    message: 'minPatternLength must not exceed maxPatternLength',
    path: ['minPatternLength'],
  }),
);
export type LoopDetectionSettings = z.infer<typeof loopDetectionSettingsSchema>;
/** A settings patch may name only the fields it changes (the check runs on the merged value). */
export const loopDetectionPatchSchema = lazySchema(() => loopDetectionFields.partial().extend({ toolCalls: toolLoopFields.partial().optional() }).strict());

export const sessionSettingsSchema = lazySchema(() =>
  z
    .object({
      /** A session's state (overrides, loop counters) is forgotten after this long without a request. */
      idleMinutes: z.number().int().min(1).max(7 * 24 * 60),
      /** Derive a session from the conversation when the client sends no x-session-id (off: only the header names one). */
      derive: z.boolean(),
    })
    .strict(),
);
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

export const DEFAULT_COMMANDS: CommandsSettings = { enabled: true, prefix: DEFAULT_COMMAND_PREFIX };

export const DEFAULT_LOOP_DETECTION: LoopDetectionSettings = {
  enabled: true,
  mode: 'block',
  minPatternLength: 50,
  maxPatternLength: 500,
  minRepetitions: 4,
  toolCalls: { enabled: true, mode: 'block', maxRepeats: 4 },
};
export const DEFAULT_SESSIONS: SessionSettings = { idleMinutes: 60, derive: true };

/** What a loop detector found, as a history row shows it. */
export interface LoopFinding {
  kind: 'text' | 'tool';
  /** The repeated text (shortened), or `tool_name {"canonical":"args"}`. */
  what: string;
  /** Copies of the pattern, or identical calls in a row. */
  count: number;
  /** blocked: the answer was cut or replaced; warned: only recorded; allowed_once: chance_then_block let it through with a warning. */
  action: 'blocked' | 'warned' | 'allowed_once';
}

/** Text loop detection handed to a fast-path answer (http/passthrough-loops.ts): the settings, and who hears a finding. */
export interface LoopWatch {
  settings: LoopDetectionSettings;
  onLoop(finding: LoopFinding): void;
}

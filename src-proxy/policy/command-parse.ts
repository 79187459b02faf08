/**
 * In-chat commands as text: a line of a user message that starts with the prefix (`!/help`,
 * `!/model(name)`, `!/set(temperature=0.2)` …) holds commands; lines inside a code fence, quoted
 * lines (`> …`) and text that does not start a line (`` `!/help` `` in a sentence) never do. Tool
 * results are never read (they are not user text). Pure.
 */
import type { ReasoningEffort } from '../canonical/types.ts';
import { COMMAND_HELP, type CommandName } from '../domain/command-help.ts';

/** Session overrides a `!/set` may hold (`reasoning: 'off'` turns reasoning off). */
export interface SessionOverrides {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  reasoning?: ReasoningEffort | 'off';
}
export type OverrideKey = keyof SessionOverrides;

export type Command =
  | { name: 'help' }
  | { name: 'status' }
  | { name: 'model'; model: string | null }
  | { name: 'set'; values: SessionOverrides }
  | { name: 'unset'; keys: OverrideKey[] }
  | { name: 'loop'; on: boolean };

export interface CommandScan {
  commands: Command[];
  /** Each command as written (the history row's `commands`). */
  written: string[];
  /** What is wrong with each malformed command line, with the syntax it should have. */
  malformed: string[];
  /** The text without its command lines. */
  rest: string;
}

const EFFORTS: ReadonlyArray<ReasoningEffort | 'off'> = ['minimal', 'low', 'medium', 'high', 'max', 'off'];
/** The written key of each override (the names clients know from the OpenAI API). */
export const OVERRIDE_KEYS: Readonly<Record<string, OverrideKey>> = { temperature: 'temperature', top_p: 'topP', max_tokens: 'maxTokens', reasoning: 'reasoning' };
export const WRITTEN_KEY: Readonly<Record<OverrideKey, string>> = { temperature: 'temperature', topP: 'top_p', maxTokens: 'max_tokens', reasoning: 'reasoning' };

/** The syntax of each command, for `!/help` and for the answer to a malformed one. */
export function commandSyntax(prefix: string): Record<CommandName, string> {
  return Object.fromEntries(COMMAND_HELP.map((command) => [command.name, `${prefix}${command.usage} — ${command.what.replaceAll('{prefix}', prefix)}`])) as Record<CommandName, string>;
}

const FENCE = /^\s*(```|~~~)/;
/** One command: a name and an optional parenthesised argument list (no nested parentheses). */
const COMMAND = /^([a-z_]+)(?:\(([^()]*)\))?/;

/** The commands in one text, or null when no line starts with the prefix outside code. */
export function scanCommands(text: string, prefix: string): CommandScan | null {
  if (!text.includes(prefix)) return null;
  const lines = text.split('\n');
  let fenced = false;
  let scan: CommandScan | null = null;
  const kept: string[] = [];
  for (const line of lines) {
    if (FENCE.test(line)) fenced = !fenced;
    const trimmed = line.trim();
    if (fenced || !trimmed.startsWith(prefix)) {
      kept.push(line);
      continue;
    }
    scan ??= { commands: [], written: [], malformed: [], rest: '' };
    parseLine(trimmed, prefix, scan);
  }
  if (!scan) return null;
  scan.rest = kept.join('\n').trim();
  return scan;
}

/** A command line: one or more commands separated by spaces. */
function parseLine(line: string, prefix: string, scan: CommandScan): void {
  const syntax = commandSyntax(prefix);
  let at = 0;
  while (at < line.length) {
    if (!line.startsWith(prefix, at)) {
      scan.malformed.push(`"${line}": a command line holds only commands (${prefix}name or ${prefix}name(arguments)), one line each or separated by spaces`);
      return;
    }
    const match = COMMAND.exec(line.slice(at + prefix.length));
    const written = match ? `${prefix}${match[0]}` : line.slice(at).split(/\s/, 1)[0]!;
    const name = match?.[1] ?? '';
    const parsed = match ? parseCommand(name, match[2]) : null;
    if (typeof parsed === 'string' || parsed === null) {
      const known = name in syntax ? syntax[name as Command['name']] : `commands: ${Object.keys(syntax).map((key) => prefix + key).join(', ')}`;
      scan.malformed.push(`"${written}"${typeof parsed === 'string' ? `: ${parsed}` : ' is not a command'}. Syntax: ${known}`);
      if (!match) return;
    } else {
      scan.commands.push(parsed);
      scan.written.push(written);
    }
    at += written.length;
    while (line[at] === ' ' || line[at] === '\t') at++;
  }
}

/** The command, or what is wrong with its arguments. */
function parseCommand(name: string, args: string | undefined): Command | string | null {
  const list = args === undefined ? null : args.split(',').map((item) => item.trim()).filter((item) => item !== '');
  switch (name) {
    case 'help':
    case 'status':
      return list && list.length > 0 ? 'takes no arguments' : { name };
    case 'model':
      if (list === null) return 'needs parentheses';
      if (list.length > 1) return 'takes one model name';
      if (list[0] !== undefined && !/^[\x21-\x7e]{1,200}$/.test(list[0])) return 'a model name has no spaces';
      return { name, model: list[0] ?? null };
    case 'set':
      return list && list.length > 0 ? parseSet(list) : 'needs key=value pairs';
    case 'unset': {
      const keys = (list ?? []).map((key) => OVERRIDE_KEYS[key]);
      if (keys.some((key) => key === undefined)) return `knows ${Object.keys(OVERRIDE_KEYS).join(', ')}`;
      return { name, keys: keys.length > 0 ? (keys as OverrideKey[]) : (Object.values(OVERRIDE_KEYS) as OverrideKey[]) };
    }
    case 'loop':
      return list?.length === 1 && (list[0] === 'on' || list[0] === 'off') ? { name, on: list[0] === 'on' } : 'takes on or off';
    default:
      return null;
  }
}

function parseSet(pairs: string[]): Command | string {
  const values: SessionOverrides = {};
  for (const pair of pairs) {
    const [rawKey, value, extra] = pair.split('=').map((part) => part.trim());
    const key = OVERRIDE_KEYS[rawKey ?? ''];
    if (!key || value === undefined || value === '' || extra !== undefined) return `"${pair}" is not one of ${Object.keys(OVERRIDE_KEYS).join(', ')} = value`;
    const number = Number(value);
    switch (key) {
      case 'temperature':
        if (!(number >= 0 && number <= 2)) return 'temperature is a number from 0 to 2';
        values.temperature = number;
        break;
      case 'topP':
        if (!(number > 0 && number <= 1)) return 'top_p is a number above 0, up to 1';
        values.topP = number;
        break;
      case 'maxTokens':
        if (!(Number.isInteger(number) && number >= 1 && number <= 10_000_000)) return 'max_tokens is a whole number from 1';
        values.maxTokens = number;
        break;
      case 'reasoning':
        if (!EFFORTS.includes(value as ReasoningEffort)) return `reasoning is one of ${EFFORTS.join(', ')}`;
        values.reasoning = value as ReasoningEffort | 'off';
        break;
    }
  }
  return { name: 'set', values };
}

/**
 * Whether a raw JSON body may hold the prefix at all: the cheap check before any parse. A JSON
 * writer may escape the prefix's characters (`"` and `\` always; `/` and non-ASCII by choice).
 */
export function mayHoldPrefix(raw: string | Buffer, prefix: string): boolean {
  const known = lastForms.prefix === prefix ? lastForms : (lastForms = formsOf(prefix));
  if (typeof raw === 'string') {
    for (const form of known.forms) if (raw.includes(form)) return true;
    return false;
  }
  // The forms' bytes made once: a string searched in a Buffer is encoded again on every call.
  for (const form of known.bytes) if (raw.indexOf(form) !== -1) return true;
  return false;
}

interface PrefixForms {
  prefix: string;
  forms: string[];
  bytes: Buffer[];
}

let lastForms: PrefixForms = { prefix: '', forms: [], bytes: [] };

function formsOf(prefix: string): PrefixForms {
  const forms = writtenForms(prefix);
  return { prefix, forms, bytes: forms.map((form) => Buffer.from(form, 'utf8')) };
}

function writtenForms(prefix: string): string[] {
  const escaped = JSON.stringify(prefix).slice(1, -1);
  const ascii = escaped.replace(/[/\u007f-\uffff]/g, (char) => (char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return [...new Set([prefix, escaped, ascii, ascii.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`)])];
}

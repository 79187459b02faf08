import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a CLI command may touch: its output streams and the environment. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** parseArgs, with a bad flag reported as `{ error }` (usage text added) instead of thrown. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
): { values: ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>['values'] } | { error: string } {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return { values };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { error: `${message}\n\n${usage}\n` };
  }
}

type FlagValues<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>['values'];

/**
 * A command's flags, with `--help` and a bad flag handled the same way everywhere: either the
 * values, or the exit code after usage went to stdout (help) or stderr (bad flag).
 */
export function readCommandFlags<T extends NonNullable<ParseArgsConfig['options']> & { help: { type: 'boolean' } }>(
  args: string[],
  options: T,
  usage: string,
  io: CliIo,
): { values: FlagValues<T> } | { exit: number } {
  const parsed = parseFlags(args, options, usage);
  if ('error' in parsed) {
    io.stderr.write(parsed.error);
    return { exit: EXIT_USAGE };
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    io.stdout.write(`${usage}\n`);
    return { exit: EXIT_OK };
  }
  return parsed;
}

/** A failure as one line for the terminal: the message only (GatewayError messages are user-facing). */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The team-store flags `serve` and `migrate` share: a `--store`-like URL and the team secret key
 * (--secret-key-file, else SWITCHBOARD_SECRET_KEY).
 */
import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors/codes.ts';
import { parseTeamSecretKey } from '../store/secret-cipher.ts';
import { isTeamStore } from '../store/store-url.ts';
import { describeFailure, EXIT_USAGE, type CliIo } from './cli-io.ts';

/**
 * The team store of --store / SWITCHBOARD_STORE with its secret key (--secret-key-file, else
 * SWITCHBOARD_SECRET_KEY); null for the data folder's SQLite file; an exit code after saying
 * what is wrong. The URL holds a password: only its redacted form is ever printed.
 */
export function readTeamStore(url: string | undefined, keyFile: string | undefined, io: CliIo, command: string): { url: string; secretKey: Buffer } | null | number {
  let team: boolean;
  try {
    team = isTeamStore(url);
  } catch (error) {
    io.stderr.write(`switchboard ${command}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  if (!team || url === undefined) {
    if (keyFile !== undefined) {
      io.stderr.write(`switchboard ${command}: --secret-key-file is for a team store (--store postgres://…); the data folder keeps its own key\n`);
      return EXIT_USAGE;
    }
    return null;
  }
  let text: string | undefined;
  try {
    text = keyFile !== undefined ? readFileSync(keyFile, 'utf8') : io.env.SWITCHBOARD_SECRET_KEY || undefined;
  } catch (error) {
    io.stderr.write(`switchboard ${command}: cannot read --secret-key-file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return EXIT_USAGE;
  }
  try {
    if (text === undefined) throw new GatewayError('secret_key_missing');
    return { url, secretKey: parseTeamSecretKey(text) };
  } catch (error) {
    io.stderr.write(`switchboard ${command}: ${describeFailure(error)}\n`);
    return EXIT_USAGE;
  }
}

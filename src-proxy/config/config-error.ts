export interface ConfigIssue {
  /** Path inside the file, e.g. `providers[0].baseUrl`; `(root)` for the whole file. */
  path: string;
  message: string;
}

/**
 * Everything wrong with a config file, in one error: the message names the file, then one line
 * per problem with its path. Messages never contain values from the file (they may be secrets).
 */
export class ConfigError extends Error {
  readonly file: string | null;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string | null, issues: readonly ConfigIssue[], options: { cause?: unknown } = {}) {
    const where = file ?? 'the configuration';
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
    super(`${where} is not a valid Switchboard configuration:\n${lines.join('\n')}`, options);
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

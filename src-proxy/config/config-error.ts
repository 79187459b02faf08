export interface ConfigIssue {
  /** Path inside the file, e.g. `providers[0].baseUrl`; `(root)` for the whole file. */
  path: string;
  message: string;
  /** Where in the text the value at `path` starts (1-based), when the config came as text. */
  line?: number;
  column?: number;
}

/** `providers[0].baseUrl (line 4, column 18)`, or the path alone when the position is unknown. */
export function describeIssueLocation(issue: ConfigIssue): string {
  return issue.line === undefined ? issue.path : `${issue.path} (line ${issue.line}, column ${issue.column ?? 1})`;
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
    const lines = issues.map((issue) => `  ${describeIssueLocation(issue)}: ${issue.message}`);
    super(`${where} is not a valid Switchboard configuration:\n${lines.join('\n')}`, options);
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

/**
 * The in-chat commands as `!/help`, a malformed command's answer and the Connect page list them:
 * `usage` follows the prefix; `{prefix}` in `what` stands for it. No schemas here, so the
 * dashboard bundle can import the list itself.
 */
export const DEFAULT_COMMAND_PREFIX = '!/';

export const COMMAND_HELP = [
  { name: 'help', usage: 'help', what: "these commands and this session's state" },
  { name: 'status', usage: 'status', what: "route, overrides, this client's limits and spend" },
  { name: 'model', usage: 'model(name)', what: 'route this session to an alias or provider/model; {prefix}model() goes back to the model the client asks for' },
  { name: 'set', usage: 'set(temperature=0.2, top_p=0.9, max_tokens=4000, reasoning=high)', what: 'session overrides (reasoning: minimal|low|medium|high|max|off)' },
  { name: 'unset', usage: 'unset(temperature, max_tokens)', what: 'drop overrides; {prefix}unset() drops them all' },
  { name: 'loop', usage: 'loop(off)', what: 'loop detection off for this session; {prefix}loop(on) turns it back on' },
] as const;
export type CommandName = (typeof COMMAND_HELP)[number]['name'];

/**
 * A readable client name for the history when the request carried no named client token:
 * derived from the User-Agent of well-known tools and SDKs.
 */
const KNOWN_AGENTS: Array<[RegExp, string]> = [
  [/claude-cli|claude-code/i, 'claude-code'],
  [/codex/i, 'codex-cli'],
  [/continue/i, 'continue'],
  [/cline/i, 'cline'],
  [/aider/i, 'aider'],
  [/zed/i, 'zed'],
  [/copilot|vscode/i, 'vscode'],
  [/jetbrains|intellij/i, 'jetbrains'],
  [/open-?webui/i, 'open-webui'],
  [/OpenAI\/JS/i, 'openai-js'],
  [/OpenAI\/Python/i, 'openai-python'],
  [/Anthropic\/JS/i, 'anthropic-js'],
  [/Anthropic\/Python/i, 'anthropic-python'],
  [/ollama-js/i, 'ollama-js'],
  [/ollama-python/i, 'ollama-python'],
  [/google-genai|genai-js/i, 'google-genai'],
  [/^curl\//i, 'curl'],
];

export function clientNameFromUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  for (const [pattern, name] of KNOWN_AGENTS) if (pattern.test(userAgent)) return name;
  const first = userAgent.split(/[\s/]/)[0]?.toLowerCase() ?? '';
  return first.replace(/[^a-z0-9._-]/g, '').slice(0, 40) || 'unknown';
}

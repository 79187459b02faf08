/**
 * Tool arguments cross between dialects that carry JSON text (OpenAI, Responses) and dialects
 * that carry objects (Anthropic, Gemini, Ollama). A max-tokens cut can leave truncated JSON and
 * some models send "" for no arguments, so parsing is lenient.
 */
export function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { _raw: text };
  }
}

export function stringifyArguments(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? {});
}

/**
 * Reading the usage object near the end of a forwarded JSON body without decoding the whole
 * body: the fast path taps usage from answers it passes through untouched.
 */
const USAGE_KEY = Buffer.from('"usage"');

/** Finds the JSON object value of the last `"key":` in text (bracket matching, string-aware). */
export function extractLastObject(text: string, key: string): unknown {
  const at = text.lastIndexOf(`"${key}"`);
  if (at === -1) return undefined;
  const start = text.indexOf('{', at);
  if (start === -1) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123) depth++;
    else if (ch === 125 && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The usage object near the end of a JSON body, decoding only that tail. */
export function tailUsage(body: Buffer): Record<string, never> | null {
  const at = body.lastIndexOf(USAGE_KEY);
  const usage = at === -1 ? undefined : extractLastObject(body.subarray(at).toString('utf8'), 'usage');
  return usage && typeof usage === 'object' ? (usage as Record<string, never>) : null;
}

/**
 * Secrets and header values end up in HTTP header lines (`Authorization: Bearer <key>`), where a
 * line break would split the request and any other control character is refused by the HTTP
 * client much later, as a confusing "connection failed". They are checked where they are
 * entered instead, with a message that names what is wrong and where — never the value itself.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';
import { GatewayError } from '../errors/codes.ts';

/** What is wrong with a secret or header value (ignoring surrounding whitespace), or null. */
export function describeBadSecretText(value: string): string | null {
  const text = value.trim();
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0a || code === 0x0d) {
      return `it contains a line break (${code === 0x0a ? '\\n' : '\\r'}) at character ${index + 1}: paste it again as one line`;
    }
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return `it contains a control character (code ${code}) at character ${index + 1}: paste it again without it`;
    }
  }
  return null;
}

/** Throws invalid_request naming the field when the value cannot travel in a header. */
export function assertSecretText(value: string, what: string): void {
  const problem = describeBadSecretText(value);
  if (problem) throw new GatewayError('invalid_request', `${what}: ${problem}`, { param: what });
}

const oneLineOfText = (value: string, context: z.RefinementCtx) => {
  const problem = describeBadSecretText(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
};

/**
 * A key that is a JSON object (a Google service-account file, AWS credentials) usually arrives as
 * the multi-line file it came in; it is kept as the same JSON on one line (line breaks inside its
 * strings, like a PEM private key's, stay escaped as `\n`). Anything else is left as it is.
 */
export function compactJsonSecret(value: string): string {
  const text = value.trim();
  if (!text.startsWith('{')) return value;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? JSON.stringify(parsed) : value;
  } catch {
    return value;
  }
}

/** A key as entered (UI, config file): one line of text, or a JSON object put on one line. */
export const secretTextSchema = lazySchema(() =>
  z
    .string()
    .transform(compactJsonSecret)
    .pipe(z.string().min(1, 'a key must not be empty').max(10_000).superRefine(oneLineOfText)),
);
/** An extra upstream header's value: one line of text. */
export const headerValueSchema = lazySchema(() => z.string().max(10_000).superRefine(oneLineOfText));
/** An extra upstream header's name: an HTTP token. */
export const headerNameSchema = lazySchema(() => z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name is letters, digits and - (an HTTP token)'));

/**
 * Ollama /api/generate request → canonical request: `system` becomes the system prompt, the
 * `prompt` (with its `images`) one user message. `template`, `context` (deprecated token
 * memory) and `keep_alive` have no meaning for a remote model and are ignored; `raw` prompts are
 * sent as they are.
 *
 * Fill-in-the-middle (`suffix`, what Continue's autocomplete sends): an Ollama upstream gets the
 * body natively on the fast path; any chat upstream gets the prefix and suffix with an
 * instruction to answer only the missing middle, since chat APIs have no FIM slot.
 */
import type { ChatRequest, TextPart, UserPart } from '../../canonical/types.ts';
import { requireString } from '../../wire/validate.ts';
import { parseFormat, parseImages, parseOptions, parseThink, wantsStream } from './request-fields.ts';

const FIM_INSTRUCTION =
  'You complete code. The user message holds the text before the cursor in <prefix> and the text after it in <suffix>. ' +
  'Answer with exactly the text to insert at the cursor: no explanation, no code fences, no repetition of the prefix or suffix.';

export function generatePrompt(body: Record<string, unknown>): string {
  return typeof body.prompt === 'string' ? body.prompt : '';
}

/** An empty prompt only loads (or with keep_alive 0 unloads) the model; no answer is generated. */
export function isLoadRequest(body: Record<string, unknown>): boolean {
  return generatePrompt(body) === '' && (typeof body.suffix !== 'string' || body.suffix === '') && !(Array.isArray(body.images) && body.images.length > 0);
}

export function isUnloadRequest(body: Record<string, unknown>): boolean {
  return body.keep_alive === 0 || body.keep_alive === '0' || body.keep_alive === '0s' || body.keep_alive === '0m';
}

export function parseOllamaGenerateRequest(body: Record<string, unknown>): ChatRequest {
  const prompt = generatePrompt(body);
  const suffix = typeof body.suffix === 'string' ? body.suffix : '';
  const system: TextPart[] = typeof body.system === 'string' && body.system !== '' ? [{ type: 'text', text: body.system }] : [];
  const content: UserPart[] = [];
  if (suffix !== '') {
    system.push({ type: 'text', text: FIM_INSTRUCTION });
    content.push({ type: 'text', text: `<prefix>${prompt}</prefix>\n<suffix>${suffix}</suffix>` });
  } else {
    content.push({ type: 'text', text: prompt });
  }
  content.push(...parseImages(body.images, 'images'));
  const { fields, rest } = parseOptions(body.options);
  const reasoning = parseThink(body.think);
  const responseFormat = parseFormat(body.format);
  return {
    model: requireString(body.model, 'model'),
    system,
    messages: [{ role: 'user', content }],
    ...fields,
    ...(responseFormat ? { responseFormat } : {}),
    ...(reasoning ? { reasoning } : {}),
    stream: wantsStream(body),
    extra: rest || suffix ? { ollama: { ...(rest ? { options: rest } : {}), ...(suffix ? { suffix } : {}) } } : {},
  };
}

/**
 * What the Gemini front door accepts (wire/body-schema.ts), checked before routing so the fast
 * path never forwards a malformed body. Types and ranges follow the Gemini API reference
 * (docs/wire-formats.md, "Gemini"); fields not listed pass through untouched.
 */
import { field, type BodySchema } from '../../wire/body-schema.ts';

const part = field.object();
const content = field.object({ role: field.oneOf('user', 'model', 'function'), parts: field.array(part, { min: 1 }) }, ['parts']);
const contents = field.array(content, { min: 1 });
const declaration = field.object({ name: field.string({ nonEmpty: true }), description: field.string() }, ['name']);
const tool = field.object({ functionDeclarations: field.array(declaration) });

const generationConfig = field.object({
  temperature: field.number(0, 2),
  topP: field.number(0, 1),
  topK: field.integer(1),
  candidateCount: field.integer(1, 1),
  maxOutputTokens: field.integer(1),
  stopSequences: field.array(field.string()),
  presencePenalty: field.number(-2, 2),
  frequencyPenalty: field.number(-2, 2),
  seed: field.integer(-2_147_483_648),
  responseMimeType: field.string(),
  thinkingConfig: field.object({ includeThoughts: field.boolean(), thinkingBudget: field.integer(-1) }),
});

export const GENERATE_SCHEMA: BodySchema = {
  required: ['contents'],
  fields: {
    contents,
    systemInstruction: field.object({ parts: field.array(part) }),
    tools: field.array(tool),
    toolConfig: field.object({ functionCallingConfig: field.object({ mode: field.oneOf('AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED') }) }),
    generationConfig,
    safetySettings: field.array(field.object()),
  },
};

/** countTokens takes `contents`, or a whole `generateContentRequest`. */
export const COUNT_TOKENS_SCHEMA: BodySchema = {
  fields: { contents, generateContentRequest: field.object({ contents }, ['contents']) },
};

const embedContent = field.object({ parts: field.array(part, { min: 1 }) }, ['parts']);
const embedFields = { content: embedContent, outputDimensionality: field.integer(1), taskType: field.string(), title: field.string() };

export const EMBED_SCHEMA: BodySchema = { required: ['content'], fields: embedFields };

export const BATCH_EMBED_SCHEMA: BodySchema = {
  required: ['requests'],
  fields: { requests: field.array(field.object(embedFields, ['content']), { min: 1 }) },
};

/**
 * What the OpenAI front door accepts (wire/body-schema.ts), checked before routing so the fast
 * path never forwards a malformed body. Types and ranges follow the OpenAI API reference;
 * fields not listed pass through untouched.
 */
import { field, MAX_COUNT, type BodySchema } from '../../wire/body-schema.ts';

const tokens = field.integer(1);
const content = field.either(field.string(), field.array(field.object({ type: field.string({ nonEmpty: true }) }, ['type'])), field.null());
export const openAiMessage = field.object(
  {
    role: field.oneOf('system', 'developer', 'user', 'assistant', 'tool', 'function'),
    content,
    tool_calls: field.array(field.object({ function: field.object({ name: field.string() }) })),
    tool_call_id: field.string(),
    name: field.string(),
  },
  ['role'],
);
const stop = field.either(field.string(), field.array(field.string()));

const sampling = {
  temperature: field.number(0, 2),
  top_p: field.number(0, 1),
  n: field.integer(1, 128),
  presence_penalty: field.number(-2, 2),
  frequency_penalty: field.number(-2, 2),
  seed: field.integer(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  stream: field.boolean(),
  stream_options: field.object({ include_usage: field.boolean() }),
  stop,
  user: field.string(),
  logprobs: field.boolean(),
  logit_bias: field.object(),
} as const;

export const CHAT_SCHEMA: BodySchema = {
  required: ['model', 'messages'],
  fields: {
    model: field.string({ nonEmpty: true }),
    messages: field.array(openAiMessage, { min: 1 }),
    max_tokens: tokens,
    max_completion_tokens: tokens,
    ...sampling,
    top_logprobs: field.integer(0, 20),
    tools: field.array(field.object({ type: field.string({ nonEmpty: true }) }, ['type'])),
    functions: field.array(field.object({ name: field.string({ nonEmpty: true }) }, ['name'])),
    tool_choice: field.either(field.oneOf('auto', 'none', 'required'), field.object({ type: field.string() }, [], '{"type": "function", "function": {"name": …}}')),
    parallel_tool_calls: field.boolean(),
    response_format: field.object({ type: field.string({ nonEmpty: true }) }, ['type']),
    reasoning_effort: field.string(),
    metadata: field.object(),
  },
};

/** A prompt: text, texts, a token array or token arrays. */
const tokenIds = field.array(field.integer(0, MAX_COUNT), { min: 1 });
export const COMPLETIONS_SCHEMA: BodySchema = {
  required: ['model', 'prompt'],
  fields: {
    model: field.string({ nonEmpty: true }),
    prompt: field.either(field.string(), field.array(field.string()), tokenIds, field.array(tokenIds)),
    max_tokens: tokens,
    ...sampling,
    best_of: field.integer(1, 128),
    echo: field.boolean(),
    suffix: field.string(),
  },
};

export const EMBEDDINGS_SCHEMA: BodySchema = {
  required: ['model', 'input'],
  fields: {
    model: field.string({ nonEmpty: true }),
    input: field.either(field.string({ nonEmpty: true }), field.array(field.string({ nonEmpty: true }), { min: 1 }), tokenIds, field.array(tokenIds, { min: 1 })),
    encoding_format: field.oneOf('float', 'base64'),
    dimensions: field.integer(1, 1_000_000),
    user: field.string(),
  },
};

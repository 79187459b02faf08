/**
 * What the Ollama front door accepts (wire/body-schema.ts), checked before routing so the fast
 * path never forwards a malformed body. Types and ranges follow Ollama's API docs (and what its
 * server accepts: an absent or empty `messages`, `prompt` or `input` is a model load, so those
 * stay optional); fields not listed pass through untouched.
 */
import { field, MAX_COUNT, type BodySchema } from '../../wire/body-schema.ts';

const options = field.object({
  num_ctx: field.integer(1),
  num_predict: field.integer(-2),
  temperature: field.number(0, 100),
  top_p: field.number(0, 1),
  top_k: field.integer(0),
  min_p: field.number(0, 1),
  seed: field.integer(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  stop: field.either(field.string(), field.array(field.string())),
  repeat_penalty: field.number(0, 100),
  presence_penalty: field.number(-100, 100),
  frequency_penalty: field.number(-100, 100),
});
const images = field.array(field.string({ nonEmpty: true }));
const format = field.either(field.oneOf('', 'json'), field.object({}, [], '{"type": "object", "properties": {…}} (a JSON schema)'));
const think = field.either(field.boolean(), field.oneOf('low', 'medium', 'high', 'max'));
const keepAlive = field.either(field.string(), field.number(-MAX_COUNT, MAX_COUNT));
const model = field.string({ nonEmpty: true });
const message = field.object(
  {
    role: field.matching(/^(system|user|assistant|tool)$/i, 'one of "system", "user", "assistant", "tool"'),
    content: field.string(),
    images,
    thinking: field.string(),
    tool_calls: field.array(field.object({ function: field.object({ name: field.string() }, ['name']) }, ['function'])),
  },
  ['role'],
);

export const CHAT_SCHEMA: BodySchema = {
  required: ['model'],
  fields: {
    model,
    messages: field.array(message),
    stream: field.boolean(),
    format,
    options,
    think,
    tools: field.array(field.object({ function: field.object({ name: field.string() }, ['name']) }, ['function'])),
    keep_alive: keepAlive,
  },
};

export const GENERATE_SCHEMA: BodySchema = {
  required: ['model'],
  fields: {
    model,
    prompt: field.string(),
    suffix: field.string(),
    system: field.string(),
    template: field.string(),
    images,
    stream: field.boolean(),
    raw: field.boolean(),
    format,
    options,
    think,
    context: field.array(field.integer(0, MAX_COUNT)),
    keep_alive: keepAlive,
  },
};

export const EMBED_SCHEMA: BodySchema = {
  required: ['model'],
  fields: {
    model,
    input: field.either(field.string(), field.array(field.string())),
    dimensions: field.integer(1, 1_000_000),
    truncate: field.boolean(),
    options,
    keep_alive: keepAlive,
  },
};

export const LEGACY_EMBEDDINGS_SCHEMA: BodySchema = {
  required: ['model'],
  fields: { model, prompt: field.string(), options, keep_alive: keepAlive },
};

export const SHOW_SCHEMA: BodySchema = {
  // Older clients (Continue) send `name` instead of `model`; the route checks that one is there.
  fields: { model, name: model, verbose: field.boolean() },
};

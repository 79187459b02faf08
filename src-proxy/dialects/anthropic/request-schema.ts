/**
 * What the Anthropic front door accepts (wire/body-schema.ts), checked before routing so the fast
 * path never forwards a malformed body. Types and ranges follow the Messages API reference;
 * fields not listed pass through untouched.
 */
import { field, type BodySchema } from '../../wire/body-schema.ts';

const block = field.object({ type: field.string({ nonEmpty: true }) }, ['type']);
const message = field.object({ role: field.oneOf('user', 'assistant', 'system'), content: field.either(field.string(), field.array(block)) }, ['role', 'content']);
const system = field.either(field.string(), field.array(block));
const tools = field.array(field.object({ name: field.string(), type: field.string() }));

export const MESSAGES_SCHEMA: BodySchema = {
  required: ['model', 'messages'],
  fields: {
    model: field.string({ nonEmpty: true }),
    messages: field.array(message, { min: 1 }),
    max_tokens: field.integer(1),
    system,
    temperature: field.number(0, 1),
    top_p: field.number(0, 1),
    top_k: field.integer(0),
    stop_sequences: field.array(field.string()),
    stream: field.boolean(),
    tools,
    tool_choice: field.object({ type: field.oneOf('auto', 'any', 'tool', 'none') }, ['type'], '{"type": "auto"}'),
    thinking: field.object({ type: field.string({ nonEmpty: true }), budget_tokens: field.integer(0) }, ['type']),
    metadata: field.object(),
    output_config: field.object(),
  },
};

export const COUNT_TOKENS_SCHEMA: BodySchema = {
  required: ['model', 'messages'],
  fields: {
    model: field.string({ nonEmpty: true }),
    messages: field.array(message, { min: 1 }),
    system,
    tools,
    tool_choice: field.object({ type: field.string() }, ['type']),
    thinking: field.object({ type: field.string({ nonEmpty: true }), budget_tokens: field.integer(0) }, ['type']),
  },
};

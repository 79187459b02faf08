/**
 * What the Responses front door accepts (wire/body-schema.ts), checked before routing so the
 * fast path never forwards a malformed body. Types and ranges follow the Responses API
 * reference; fields not listed pass through untouched.
 */
import { field, type BodySchema } from '../../wire/body-schema.ts';

export const RESPONSES_SCHEMA: BodySchema = {
  required: ['model'],
  fields: {
    model: field.string({ nonEmpty: true }),
    input: field.either(field.string(), field.array(field.object())),
    instructions: field.string(),
    max_output_tokens: field.integer(1),
    temperature: field.number(0, 2),
    top_p: field.number(0, 1),
    stream: field.boolean(),
    store: field.boolean(),
    previous_response_id: field.string({ nonEmpty: true }),
    tools: field.array(field.object({ type: field.string({ nonEmpty: true }) }, ['type'])),
    tool_choice: field.either(field.oneOf('auto', 'none', 'required'), field.object({ type: field.string() }, [], '{"type": "function", "name": …}')),
    parallel_tool_calls: field.boolean(),
    reasoning: field.object({ effort: field.string(), summary: field.string() }),
    text: field.object(),
    metadata: field.object(),
    include: field.array(field.string()),
    truncation: field.string(),
    user: field.string(),
  },
};

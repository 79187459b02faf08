/**
 * A refused request field ends with what to do about that field — the type it takes, that it is
 * required and in which object, the values allowed, the range — not with the general
 * invalid_request advice; the code stays `invalid_request`, in each front door's own error shape,
 * read through the official SDKs. Nothing refused is forwarded.
 */
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI, type FunctionCallingConfigMode } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src-proxy/errors/codes.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const GENERAL_ADVICE = ERROR_CODES.invalid_request.message;

describe('field errors say what to do about the field', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  let forwardedBefore = 0;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
    });
    forwardedBefore = upstream.requests.filter((request) => request.method === 'POST').length;
  });
  afterAll(async () => {
    // Every case below was refused at the front door.
    expect(upstream.requests.filter((request) => request.method === 'POST').length).toBe(forwardedBefore);
    await harness.close();
    await upstream.close();
  });

  async function rejection(call: () => Promise<unknown>): Promise<unknown> {
    try {
      await call();
    } catch (error) {
      return error;
    }
    throw new Error('the call was answered, not refused');
  }

  it('OpenAI chat: a number sent as text is told its type and to drop the quotes (param kept)', async () => {
    const client = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const error = await rejection(() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], max_tokens: '10' as unknown as number }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const refused = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(refused.code).toBe('invalid_request');
    expect(refused.param).toBe('max_tokens');
    const message = (refused.error as { message: string }).message;
    expect(message).toBe(
      '"max_tokens" must be an integer from 1 to 2147483647, not a string. Send "max_tokens" as an integer from 1 to 2147483647, without quotes, or leave "max_tokens" out.',
    );
  });

  it('OpenAI chat: a missing required field is named as required, and where it goes', async () => {
    const client = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const error = (await rejection(() => client.chat.completions.create({ model: 'm' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming))) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('messages');
    const message = (error.error as { message: string }).message;
    expect(message).toMatch(/^"messages" is required\. Add "messages" \(an array of at least 1 of .+\) to the top level of the request body\.$/);
    expect(message).not.toContain(GENERAL_ADVICE);
  });

  it('Responses: an unknown value of an enum field lists the allowed values', async () => {
    const client = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const error = (await rejection(() => client.responses.create({ model: 'm', input: 'Hi', tool_choice: 'sometimes' as 'auto' }))) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('tool_choice');
    const message = (error.error as { message: string }).message;
    expect(message).toBe(
      '"tool_choice" must be one of "auto", "none", "required" or an object, not a string outside that list. ' +
        'Send "tool_choice" as one of "auto", "none", "required" (spelled exactly as listed), or as an object such as {"type": "function", "name": …}, or leave "tool_choice" out.',
    );
    expect(message).not.toContain(GENERAL_ADVICE);
  });

  it('OpenAI chat: a string that is none of the allowed ones is told the strings and the object form (chat\'s own)', async () => {
    const client = new OpenAI({ baseURL: `${harness.origin}/v1`, apiKey: harness.token, maxRetries: 0 });
    const error = (await rejection(() =>
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tool_choice: 'sometimes' as 'auto' }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.param).toBe('tool_choice');
    expect((error.error as { message: string }).message).toBe(
      '"tool_choice" must be one of "auto", "none", "required" or an object, not a string outside that list. ' +
        'Send "tool_choice" as one of "auto", "none", "required" (spelled exactly as listed), or as an object such as {"type": "function", "function": {"name": …}}, or leave "tool_choice" out.',
    );
  });

  it('Anthropic: tool_choice sent as a bare kind is told the object to send, an unknown one the kinds there are', async () => {
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const send = (toolChoice: string) =>
      rejection(() => client.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }], tool_choice: toolChoice as unknown as Anthropic.ToolChoice }));
    const messageOf = (error: unknown) => ((error as InstanceType<typeof Anthropic.BadRequestError>).error as { error: { message: string } }).error.message;
    const bare = await send('auto');
    expect(bare).toBeInstanceOf(Anthropic.BadRequestError);
    expect(messageOf(bare)).toBe('"tool_choice" must be an object with "type", not a string. Send "tool_choice" as {"type": "auto"}, or leave "tool_choice" out.');
    expect(messageOf(await send('sometimes'))).toBe(
      '"tool_choice" must be an object with "type", not a string. ' +
        'Send "tool_choice" as an object such as {"type": "auto"}, with "type" one of "auto", "any", "tool", "none" (spelled exactly as listed), or leave "tool_choice" out.',
    );
  });

  it('Ollama: a think level that does not exist is told both forms, a quoted boolean to drop the quotes', async () => {
    const client = new Ollama({ host: harness.origin });
    const send = (think: string) => rejection(() => client.chat({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], think: think as 'high' }));
    expect((await send('very') as Error).message).toBe(
      '"think" must be true or false or one of "low", "medium", "high", "max", not a string outside that list. ' +
        'Send "think" as true or false, or as one of "low", "medium", "high", "max" (spelled exactly as listed), or leave "think" out.',
    );
    expect((await send('true') as Error).message).toBe(
      '"think" must be true or false or one of "low", "medium", "high", "max", not a string. Send "think" as true or false or one of "low", "medium", "high", "max", without quotes, or leave "think" out.',
    );
  });

  it('Anthropic: a number out of range is told the range, in the Anthropic error shape', async () => {
    const client = new Anthropic({ baseURL: harness.origin, apiKey: harness.token, maxRetries: 0 });
    const error = await rejection(() => client.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }], ...{ temperature: 5 } } as Anthropic.MessageCreateParamsNonStreaming));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const body = (error as InstanceType<typeof Anthropic.BadRequestError>).error as { type: string; error: { type: string; message: string; code?: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toBe('"temperature" must be a number from 0 to 1, not 5. Send "temperature" as a number from 0 to 1, or leave "temperature" out.');
  });

  it('Ollama: a message without its role is told the field is required in that message', async () => {
    let body = '';
    const tapped: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      body = await response.clone().text();
      return response;
    };
    const client = new Ollama({ host: harness.origin, fetch: tapped });
    const error = await rejection(() => client.chat({ model: 'm', messages: [{ content: 'Hi' } as { role: string; content: string }] }));
    expect((error as { status_code?: number }).status_code).toBe(400);
    const expected = '"messages[0].role" is required. Add "role" (one of "system", "user", "assistant", "tool") to "messages[0]".';
    // The SDK's error carries the text of Ollama's {"error": "…"} body.
    expect((error as Error).message).toBe(expected);
    expect(JSON.parse(body)).toMatchObject({ error: expected });
  });

  it('Gemini: a nested enum lists the allowed values, with a BadRequest field violation', async () => {
    const ai = new GoogleGenAI({ apiKey: harness.token, httpOptions: { baseUrl: harness.origin, retryOptions: { attempts: 1 } } });
    const error = await rejection(() =>
      ai.models.generateContent({ model: 'm', contents: 'Hi', config: { toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' as FunctionCallingConfigMode } } } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    const body = JSON.parse((error as ApiError).message) as { error: { code: number; status: string; message: string; details: Array<Record<string, unknown>> } };
    const path = 'toolConfig.functionCallingConfig.mode';
    const message = `"${path}" must be one of "AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED", not a string. Send one of "AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED" in "${path}", spelled exactly as listed, or leave "${path}" out.`;
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message });
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'invalid_request', domain: 'switchboard' },
        { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: path, description: message }] },
      ]),
    );
  });

  it('a body that is not an object says to send one', async () => {
    const response = await fetch(`${harness.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: '[1, 2]',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBe('The request body must be a JSON object, not an array. Send the request\'s fields in one JSON object ({"model": …, …}) as the body.');
  });
});

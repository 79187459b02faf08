/**
 * One conversation turn through each front door's official SDK: OpenAI Chat and Responses
 * (openai), Anthropic Messages (@anthropic-ai/sdk) and Ollama (ollama), streaming or not, with
 * a system prompt, earlier turns (tool calls and their results included), thinking, an image,
 * one tool, and an optional x-session-id. What comes back is the answer's text, its tool calls
 * and its finish reason, as the SDK surfaced them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, type Content } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';

export type Door = 'openai' | 'responses' | 'anthropic' | 'ollama' | 'gemini';
export const DOORS: readonly Door[] = ['openai', 'responses', 'anthropic', 'ollama'];
/** Every front door, Gemini's (@google/genai) included. */
export const ALL_DOORS: readonly Door[] = [...DOORS, 'gemini'];

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type Turn =
  | { role: 'user'; text: string; image?: boolean }
  | { role: 'assistant'; text?: string; calls?: ToolCall[] }
  | { role: 'tool'; results: Array<{ id: string; name: string; text: string }> };

export interface Ask {
  model: string;
  turns: Turn[];
  stream: boolean;
  system?: string;
  thinking?: boolean;
  /** Offers the read_file tool. */
  tools?: boolean;
  sessionId?: string;
  /** Called with each text delta as it streams (streaming only). */
  onText?: (delta: string) => void;
}

export interface Answer {
  text: string;
  calls: Array<{ name: string; args: string }>;
  /** The dialect's own finish value (stop, end_turn, completed, …). */
  finish: string | null;
}

export const READ_FILE_SCHEMA = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } as const;
/** A 1×1 PNG. */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export interface SdkClient {
  ask(ask: Ask): Promise<Answer>;
}

export function sdkClient(door: Door, origin: string, token: string): SdkClient {
  switch (door) {
    case 'openai':
      return openAiChat(new OpenAI({ baseURL: `${origin}/v1`, apiKey: token, maxRetries: 0 }));
    case 'responses':
      return responses(new OpenAI({ baseURL: `${origin}/v1`, apiKey: token, maxRetries: 0 }));
    case 'anthropic':
      return anthropic(new Anthropic({ baseURL: origin, apiKey: token, maxRetries: 0 }));
    case 'ollama':
      return ollama(origin, token);
    case 'gemini':
      return gemini(origin, token);
  }
}

const sessionHeaders = (ask: Ask) => (ask.sessionId ? { 'x-session-id': ask.sessionId } : undefined);

function openAiChat(client: OpenAI): SdkClient {
  return {
    async ask(ask) {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = ask.system ? [{ role: 'system', content: ask.system }] : [];
      for (const turn of ask.turns) {
        if (turn.role === 'user') {
          messages.push(turn.image ? { role: 'user', content: [{ type: 'text', text: turn.text }, { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } }] } : { role: 'user', content: turn.text });
        } else if (turn.role === 'assistant') {
          messages.push({
            role: 'assistant',
            content: turn.text ?? null,
            ...(turn.calls ? { tool_calls: turn.calls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.args) } })) } : {}),
          });
        } else {
          for (const result of turn.results) messages.push({ role: 'tool', tool_call_id: result.id, content: result.text });
        }
      }
      const body = {
        model: ask.model,
        messages,
        ...(ask.thinking ? { reasoning_effort: 'high' as const } : {}),
        ...(ask.tools ? { tools: [{ type: 'function' as const, function: { name: 'read_file', description: 'Reads a file', parameters: READ_FILE_SCHEMA } }] } : {}),
      };
      const options = { headers: sessionHeaders(ask) };
      if (!ask.stream) {
        const completion = await client.chat.completions.create(body, options);
        const message = completion.choices[0]!.message;
        return {
          text: message.content ?? '',
          calls: (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [{ name: call.function.name, args: call.function.arguments }] : [])),
          finish: completion.choices[0]!.finish_reason,
        };
      }
      let text = '';
      let finish: string | null = null;
      const calls: Array<{ name: string; args: string }> = [];
      for await (const chunk of await client.chat.completions.create({ ...body, stream: true }, options)) {
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.delta.content) {
          text += choice.delta.content;
          ask.onText?.(choice.delta.content);
        }
        for (const call of choice.delta.tool_calls ?? []) {
          calls[call.index] ??= { name: '', args: '' };
          if (call.function?.name) calls[call.index]!.name = call.function.name;
          if (call.function?.arguments) calls[call.index]!.args += call.function.arguments;
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return { text, calls, finish };
    },
  };
}

function responses(client: OpenAI): SdkClient {
  return {
    async ask(ask) {
      const input: OpenAI.Responses.ResponseInputItem[] = [];
      for (const turn of ask.turns) {
        if (turn.role === 'user') {
          input.push({
            role: 'user',
            content: [{ type: 'input_text', text: turn.text }, ...(turn.image ? [{ type: 'input_image' as const, image_url: `data:image/png;base64,${TINY_PNG}`, detail: 'auto' as const }] : [])],
          });
        } else if (turn.role === 'assistant') {
          if (turn.text) input.push({ role: 'assistant', content: turn.text });
          for (const call of turn.calls ?? []) input.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: JSON.stringify(call.args) });
        } else {
          for (const result of turn.results) input.push({ type: 'function_call_output', call_id: result.id, output: result.text });
        }
      }
      const body = {
        model: ask.model,
        input,
        store: false,
        ...(ask.system ? { instructions: ask.system } : {}),
        ...(ask.thinking ? { reasoning: { effort: 'high' as const } } : {}),
        ...(ask.tools ? { tools: [{ type: 'function' as const, name: 'read_file', description: 'Reads a file', parameters: { ...READ_FILE_SCHEMA, required: ['path'] }, strict: false }] } : {}),
      };
      const options = { headers: sessionHeaders(ask) };
      if (!ask.stream) {
        const response = await client.responses.create(body, options);
        return {
          text: response.output_text,
          calls: response.output.flatMap((item) => (item.type === 'function_call' ? [{ name: item.name, args: item.arguments }] : [])),
          finish: response.status ?? null,
        };
      }
      let text = '';
      let finish: string | null = null;
      const calls: Array<{ name: string; args: string }> = [];
      for await (const event of await client.responses.create({ ...body, stream: true }, options)) {
        if (event.type === 'response.output_text.delta') {
          text += event.delta;
          ask.onText?.(event.delta);
        } else if (event.type === 'response.output_item.done' && event.item.type === 'function_call') {
          calls.push({ name: event.item.name, args: event.item.arguments });
        } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
          finish = event.response.status ?? null;
        }
      }
      return { text, calls, finish };
    },
  };
}

function anthropic(client: Anthropic): SdkClient {
  return {
    async ask(ask) {
      const messages: Anthropic.MessageParam[] = [];
      for (const turn of ask.turns) {
        if (turn.role === 'user') {
          messages.push({
            role: 'user',
            content: [{ type: 'text', text: turn.text }, ...(turn.image ? [{ type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: TINY_PNG } }] : [])],
          });
        } else if (turn.role === 'assistant') {
          messages.push({
            role: 'assistant',
            content: [
              ...(turn.text ? [{ type: 'text' as const, text: turn.text }] : []),
              ...(turn.calls ?? []).map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: call.args })),
            ],
          });
        } else {
          messages.push({ role: 'user', content: turn.results.map((result) => ({ type: 'tool_result' as const, tool_use_id: result.id, content: result.text })) });
        }
      }
      const body = {
        model: ask.model,
        max_tokens: 2048,
        messages,
        ...(ask.system ? { system: ask.system } : {}),
        ...(ask.thinking ? { thinking: { type: 'enabled' as const, budget_tokens: 1024 } } : {}),
        ...(ask.tools ? { tools: [{ name: 'read_file', description: 'Reads a file', input_schema: READ_FILE_SCHEMA as unknown as Anthropic.Tool.InputSchema }] } : {}),
      };
      const options = { headers: sessionHeaders(ask) };
      if (!ask.stream) {
        const message = await client.messages.create(body, options);
        return {
          text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
          calls: message.content.flatMap((block) => (block.type === 'tool_use' ? [{ name: block.name, args: JSON.stringify(block.input) }] : [])),
          finish: message.stop_reason,
        };
      }
      let text = '';
      let finish: string | null = null;
      const calls: Array<{ name: string; args: string }> = [];
      const open = new Map<number, { name: string; args: string }>();
      for await (const event of await client.messages.create({ ...body, stream: true }, options)) {
        if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') open.set(event.index, { name: event.content_block.name, args: '' });
        else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
          ask.onText?.(event.delta.text);
        } else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') open.get(event.index)!.args += event.delta.partial_json;
        else if (event.type === 'content_block_stop' && open.has(event.index)) calls.push(open.get(event.index)!);
        else if (event.type === 'message_delta') finish = event.delta.stop_reason;
      }
      return { text, calls, finish };
    },
  };
}

function ollama(origin: string, token: string): SdkClient {
  return {
    async ask(ask) {
      const client = new Ollama({ host: origin, headers: { Authorization: `Bearer ${token}`, ...sessionHeaders(ask) } });
      const messages: Array<{ role: string; content: string; images?: string[]; tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>; tool_name?: string }> = ask.system ? [{ role: 'system', content: ask.system }] : [];
      for (const turn of ask.turns) {
        if (turn.role === 'user') messages.push({ role: 'user', content: turn.text, ...(turn.image ? { images: [TINY_PNG] } : {}) });
        else if (turn.role === 'assistant') {
          messages.push({ role: 'assistant', content: turn.text ?? '', ...(turn.calls ? { tool_calls: turn.calls.map((call) => ({ function: { name: call.name, arguments: call.args } })) } : {}) });
        } else for (const result of turn.results) messages.push({ role: 'tool', content: result.text, tool_name: result.name });
      }
      const body = {
        model: ask.model,
        messages,
        ...(ask.thinking ? { think: true } : {}),
        ...(ask.tools ? { tools: [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: READ_FILE_SCHEMA as unknown as { type: string; properties: Record<string, { type: string }> } } }] } : {}),
      };
      if (!ask.stream) {
        const answer = await client.chat(body);
        return {
          text: answer.message.content,
          calls: (answer.message.tool_calls ?? []).map((call) => ({ name: call.function.name, args: JSON.stringify(call.function.arguments) })),
          finish: answer.done_reason,
        };
      }
      let text = '';
      let finish: string | null = null;
      const calls: Array<{ name: string; args: string }> = [];
      for await (const part of await client.chat({ ...body, stream: true })) {
        if (part.message.content) {
          text += part.message.content;
          ask.onText?.(part.message.content);
        }
        for (const call of part.message.tool_calls ?? []) calls.push({ name: call.function.name, args: JSON.stringify(call.function.arguments) });
        if (part.done) finish = part.done_reason;
      }
      return { text, calls, finish };
    },
  };
}

function gemini(origin: string, token: string): SdkClient {
  return {
    async ask(ask) {
      const ai = new GoogleGenAI({ apiKey: token, httpOptions: { baseUrl: origin, retryOptions: { attempts: 1 }, headers: sessionHeaders(ask) } });
      const contents: Content[] = [];
      for (const turn of ask.turns) {
        if (turn.role === 'user') contents.push({ role: 'user', parts: [{ text: turn.text }, ...(turn.image ? [{ inlineData: { mimeType: 'image/png', data: TINY_PNG } }] : [])] });
        else if (turn.role === 'assistant') {
          contents.push({ role: 'model', parts: [...(turn.text ? [{ text: turn.text }] : []), ...(turn.calls ?? []).map((call) => ({ functionCall: { id: call.id, name: call.name, args: call.args } }))] });
        } else contents.push({ role: 'user', parts: turn.results.map((result) => ({ functionResponse: { id: result.id, name: result.name, response: { output: result.text } } })) });
      }
      const config = {
        ...(ask.system ? { systemInstruction: ask.system } : {}),
        ...(ask.thinking ? { thinkingConfig: { thinkingBudget: 1024 } } : {}),
        ...(ask.tools ? { tools: [{ functionDeclarations: [{ name: 'read_file', description: 'Reads a file', parametersJsonSchema: READ_FILE_SCHEMA }] }] } : {}),
      };
      const request = { model: ask.model, contents, config };
      let text = '';
      let finish: string | null = null;
      const calls: Array<{ name: string; args: string }> = [];
      const responses = ask.stream ? await ai.models.generateContentStream(request) : [await ai.models.generateContent(request)];
      for await (const response of responses) {
        const candidate = response.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (part.text && !part.thought) {
            text += part.text;
            if (ask.stream) ask.onText?.(part.text);
          }
          if (part.functionCall) calls.push({ name: part.functionCall.name ?? '', args: JSON.stringify(part.functionCall.args ?? {}) });
        }
        if (candidate?.finishReason) finish = candidate.finishReason;
      }
      return { text, calls, finish };
    },
  };
}

/**
 * One model call per front door through its official SDK, streaming or not, and what the SDK
 * surfaced when the call was refused: status, Switchboard's code (from the body each dialect
 * carries it in) and Retry-After. The Ollama SDK hides the body, so its fetch is tapped to read it;
 * Gemini clients read the wait from the body's RetryInfo (the SDK shows no headers).
 */
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';

export type DialectName = 'openai' | 'responses' | 'anthropic' | 'ollama' | 'gemini';
export const DIALECTS: readonly DialectName[] = ['openai', 'responses', 'anthropic', 'ollama', 'gemini'];

interface GoogleErrorBody {
  error?: { message?: string; details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }> };
}

export interface Refused {
  status: number;
  code: string | null;
  message: string;
  retryAfter: string | null;
}

export interface DialectClient {
  /** Resolves with the answer's text; rejects with the SDK's error. */
  call(model: string, stream: boolean): Promise<string>;
  /** The refusal an SDK error stands for (throws when the error is something else). */
  refused(error: unknown): Promise<Refused>;
}

export function dialectClient(dialect: DialectName, origin: string, token: string): DialectClient {
  switch (dialect) {
    case 'openai':
    case 'responses': {
      const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: token, maxRetries: 0 });
      return {
        async call(model, stream) {
          if (dialect === 'responses') {
            if (!stream) return (await client.responses.create({ model, input: 'Hi' })).output_text;
            let text = '';
            for await (const event of await client.responses.create({ model, input: 'Hi', stream: true })) if (event.type === 'response.output_text.delta') text += event.delta;
            return text;
          }
          const messages = [{ role: 'user' as const, content: 'Hi' }];
          if (!stream) return (await client.chat.completions.create({ model, messages })).choices[0]?.message.content ?? '';
          let text = '';
          for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
          return text;
        },
        async refused(error) {
          if (!(error instanceof OpenAI.APIError)) throw error;
          return { status: error.status ?? 0, code: typeof error.code === 'string' ? error.code : null, message: error.message, retryAfter: error.headers?.get('retry-after') ?? null };
        },
      };
    }
    case 'anthropic': {
      const client = new Anthropic({ baseURL: origin, apiKey: token, maxRetries: 0 });
      return {
        async call(model, stream) {
          const request = { model, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };
          if (!stream) {
            const message = await client.messages.create(request);
            return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
          }
          let text = '';
          for await (const event of await client.messages.create({ ...request, stream: true })) {
            if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
          }
          return text;
        },
        async refused(error) {
          if (!(error instanceof Anthropic.APIError)) throw error;
          const body = error.error as { error?: { code?: string } } | undefined;
          return { status: error.status ?? 0, code: body?.error?.code ?? null, message: error.message, retryAfter: error.headers?.get('retry-after') ?? null };
        },
      };
    }
    case 'gemini': {
      const ai = new GoogleGenAI({ apiKey: token, httpOptions: { baseUrl: origin, retryOptions: { attempts: 1 } } });
      return {
        async call(model, stream) {
          if (!stream) return (await ai.models.generateContent({ model, contents: 'Hi' })).text ?? '';
          let text = '';
          for await (const chunk of await ai.models.generateContentStream({ model, contents: 'Hi' })) text += chunk.text ?? '';
          return text;
        },
        async refused(error) {
          if (!(error instanceof ApiError)) throw error;
          // The SDK's message is Google's error body as JSON.
          const body = JSON.parse(error.message) as GoogleErrorBody;
          const details = body.error?.details ?? [];
          const info = details.find((detail) => detail['@type']?.endsWith('google.rpc.ErrorInfo'));
          const retry = details.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'));
          return { status: error.status, code: info?.reason ?? null, message: body.error?.message ?? '', retryAfter: retry?.retryDelay?.replace(/s$/, '') ?? null };
        },
      };
    }
    case 'ollama': {
      let last: { body: Promise<string>; retryAfter: string | null } | null = null;
      const tapped: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        last = { body: response.clone().text(), retryAfter: response.headers.get('retry-after') };
        return response;
      };
      const client = new Ollama({ host: origin, headers: { Authorization: `Bearer ${token}` }, fetch: tapped });
      return {
        async call(model, stream) {
          const messages = [{ role: 'user', content: 'Hi' }];
          if (!stream) return (await client.chat({ model, messages })).message.content;
          let text = '';
          for await (const part of await client.chat({ model, messages, stream: true })) text += part.message.content;
          return text;
        },
        async refused(error) {
          const status = (error as { status_code?: number }).status_code;
          if (status === undefined || !last) throw error;
          const body = JSON.parse(await last.body) as { error: string; code?: string };
          return { status, code: body.code ?? null, message: body.error, retryAfter: last.retryAfter };
        },
      };
    }
  }
}

/** The refusal of a call that must be refused. */
export async function refusalOf(client: DialectClient, model: string, stream: boolean): Promise<Refused> {
  try {
    await client.call(model, stream);
  } catch (error) {
    return client.refused(error);
  }
  throw new Error(`${model} was answered, not refused`);
}

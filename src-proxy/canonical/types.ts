/**
 * The canonical model: the one typed representation every dialect parses into and every
 * provider translates from. Translation is hub-and-spoke, never pairwise.
 *
 * Conventions that every adapter relies on:
 * - Tool-call arguments are kept as the JSON *text* the model produced (OpenAI and Responses
 *   carry strings; Anthropic, Gemini and Ollama carry objects and parse it leniently).
 * - `Usage.inputTokens` counts every prompt token, cached ones included (OpenAI / Gemini
 *   semantics). Anthropic's `input_tokens` excludes cache reads and writes, so its adapters
 *   add / subtract `cacheReadTokens` and `cacheWriteTokens`.
 * - Signed reasoning (Anthropic `signature`, Gemini `thoughtSignature`, Responses
 *   `encrypted_content`) is vendor-bound: it carries the provider kind that issued it, and
 *   providers of another kind drop it.
 */
export interface TextPart {
  type: 'text';
  text: string;
  /** Anthropic prompt-cache hint, kept opaque. */
  cacheControl?: unknown;
}

export type ImageSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  /** OpenAI `detail` (low / high / auto). */
  detail?: string;
}

/** A document (PDF, plain text) — Anthropic `document`, OpenAI `file`, Gemini `inlineData`. */
export interface DocumentPart {
  type: 'document';
  source: ImageSource | { kind: 'text'; text: string; mediaType?: string };
  title?: string;
  cacheControl?: unknown;
}

/** Signed, vendor-bound reasoning material. */
export interface Signature {
  /** The provider kind that issued it (providers/<kind>/). */
  provider: string;
  value: string;
}

export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature?: Signature;
  /** Anthropic `redacted_thinking.data` or Responses `encrypted_content` with no readable text. */
  redacted?: Signature;
}

export interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  /** JSON text of the arguments, exactly as produced. */
  arguments: string;
  /** Gemini `thoughtSignature` attached to a functionCall part. */
  signature?: Signature;
}

export interface ToolResultPart {
  type: 'tool_result';
  toolCallId: string;
  /** Name of the tool that was called (Gemini and Ollama need it; recovered from the call when absent). */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

export type UserPart = TextPart | ImagePart | DocumentPart;
export type AssistantPart = TextPart | ThinkingPart | ToolCallPart;

export type Message =
  | { role: 'user'; content: UserPart[] }
  | { role: 'assistant'; content: AssistantPart[] }
  | { role: 'tool'; content: ToolResultPart[] };

export type JsonSchema = Record<string, unknown>;

export interface FunctionTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: JsonSchema;
  strict?: boolean;
}

/**
 * A tool only one vendor understands (Anthropic server tools, Responses `custom` / `web_search`).
 * It passes through to an upstream of that dialect; any other upstream refuses it clearly.
 */
export interface NativeTool {
  type: 'native';
  /** The front door whose shape `raw` has (dialects/<name>/). */
  dialect: string;
  name?: string;
  raw: unknown;
}

export type ToolDefinition = FunctionTool | NativeTool;

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json_schema'; name?: string; schema: JsonSchema; strict?: boolean };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high' | 'max';

export interface ReasoningConfig {
  /** false = explicitly disabled. */
  enabled?: boolean;
  effort?: ReasoningEffort;
  budgetTokens?: number;
  /** Anthropic `adaptive`: the model decides. */
  adaptive?: boolean;
  /** Responses `summary` (auto / concise / detailed). */
  summary?: string;
}

export interface ChatRequest {
  /** The model name the client asked for (before routing). */
  model: string;
  system: TextPart[];
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningConfig;
  /** Context window the client asked for (Ollama `num_ctx`). */
  contextWindow?: number;
  stream: boolean;
  /** End-user id / metadata the client attached. */
  user?: string;
  metadata?: Record<string, unknown>;
  /**
   * Provider-specific fields that must survive translation, keyed by the dialect they came
   * from (e.g. `{ openai: { logprobs: true } }`). A provider of the same family merges them in.
   */
  extra: Partial<Record<string, Record<string, unknown>>>;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface Usage {
  /** All prompt tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

export interface StreamError {
  /** One of the gateway error codes (see errors/codes.ts) or an upstream code. */
  code: string;
  message: string;
  /** HTTP status this error would have had before headers were sent. */
  status: number;
}

/**
 * The canonical stream. Non-streaming answers are the same events collected by one accumulator.
 * Text and thinking deltas form blocks: a block ends when another kind of event starts.
 */
export type StreamEvent =
  | { type: 'start'; id?: string; model?: string }
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  /** Closes the current thinking block with its signature (Anthropic `signature_delta`). */
  | { type: 'thinking_signature'; signature: Signature }
  | { type: 'redacted_thinking'; data: Signature }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'tool_call_end'; index: number; signature?: Signature }
  /** Cumulative usage so far; later events replace earlier values field by field. */
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'finish'; reason: FinishReason; stopSequence?: string }
  | { type: 'error'; error: StreamError };

export interface ChatResponse {
  id: string;
  model: string;
  content: AssistantPart[];
  finishReason: FinishReason;
  stopSequence?: string;
  usage: Usage;
}

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  /** Fields with no canonical slot, by the name of the front door that read them. */
  extra: Partial<Record<string, Record<string, unknown>>>;
}

export interface EmbeddingResponse {
  model: string;
  vectors: number[][];
  usage: { inputTokens: number };
}

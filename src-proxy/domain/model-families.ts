/**
 * Built-in metadata for well-known model families: context window, max output tokens and
 * capabilities, so /api/show, /api/tags and /v1/models can answer something true-ish before the
 * user says otherwise. The one data file for these facts: the first pattern that matches the
 * model name (vendor prefix and Ollama tag removed, lower-cased) wins, so specific entries come
 * before generic ones. Alias metadata and per-model metadata the user or discovery set always
 * override these (see model-metadata.ts).
 *
 * Sources: the vendors' model pages (OpenAI, Anthropic, Google, Mistral, DeepSeek) and the
 * Ollama library cards for open-weight models; numbers are the documented limits of the
 * model, not of any particular deployment.
 */
import type { Capability, ModelMetadata } from './model-metadata.ts';

type Entry = readonly [pattern: RegExp, family: string, contextWindow: number, maxOutputTokens: number | null, capabilities: readonly Capability[]];

const CHAT: readonly Capability[] = ['completion'];
const TOOLS: readonly Capability[] = ['completion', 'tools'];
const TOOLS_VISION: readonly Capability[] = ['completion', 'tools', 'vision'];
const TOOLS_THINKING: readonly Capability[] = ['completion', 'tools', 'thinking'];
const ALL: readonly Capability[] = ['completion', 'tools', 'vision', 'thinking'];
const EMBED: readonly Capability[] = ['embedding'];
const CODE_FIM: readonly Capability[] = ['completion', 'insert'];
const CODE_FIM_TOOLS: readonly Capability[] = ['completion', 'tools', 'insert'];

const ENTRIES: readonly Entry[] = [
  // --- OpenAI ---------------------------------------------------------------------------------
  [/^gpt-5(\.\d+)?-chat/, 'gpt', 128_000, 16_384, TOOLS_VISION],
  [/^gpt-5/, 'gpt', 400_000, 128_000, ALL],
  [/^gpt-4\.1/, 'gpt', 1_047_576, 32_768, TOOLS_VISION],
  [/^(chatgpt-)?gpt-4o/, 'gpt', 128_000, 16_384, TOOLS_VISION],
  [/^gpt-4-turbo|^gpt-4-\d{4}-preview/, 'gpt', 128_000, 4_096, TOOLS_VISION],
  [/^gpt-4(-|$)/, 'gpt', 8_192, 8_192, TOOLS],
  [/^gpt-3\.5-turbo/, 'gpt', 16_385, 4_096, TOOLS],
  [/^gpt-oss/, 'gptoss', 131_072, 131_072, TOOLS_THINKING],
  [/^o1-mini/, 'gpt', 128_000, 65_536, ['completion', 'thinking']],
  [/^o3-mini/, 'gpt', 200_000, 100_000, TOOLS_THINKING],
  [/^o[1345](-|$)/, 'gpt', 200_000, 100_000, ALL],
  [/^text-embedding-3|^text-embedding-ada/, 'bert', 8_191, null, EMBED],
  // --- Anthropic ------------------------------------------------------------------------------
  [/^claude-(opus-4-[01]|opus-4(-\d{8})?$|4-opus)/, 'claude', 200_000, 32_000, ALL],
  [/^claude-(opus|sonnet|haiku)-[45]|^claude-[45]/, 'claude', 200_000, 64_000, ALL],
  [/^claude-3[-.]7/, 'claude', 200_000, 64_000, ALL],
  [/^claude-3[-.]5/, 'claude', 200_000, 8_192, TOOLS_VISION],
  [/^claude-3/, 'claude', 200_000, 4_096, TOOLS_VISION],
  [/^claude/, 'claude', 200_000, 32_000, ALL],
  // --- Google ---------------------------------------------------------------------------------
  [/^gemini-embedding|^text-embedding-00|^embedding-00/, 'gemini', 2_048, null, EMBED],
  [/^gemini-(2\.5|3)/, 'gemini', 1_048_576, 65_536, ALL],
  [/^gemini-1\.5-pro/, 'gemini', 2_097_152, 8_192, TOOLS_VISION],
  [/^gemini/, 'gemini', 1_048_576, 8_192, TOOLS_VISION],
  [/^gemma3n/, 'gemma3n', 32_768, null, CHAT],
  [/^gemma-?3/, 'gemma3', 131_072, null, ['completion', 'vision']],
  [/^gemma/, 'gemma2', 8_192, null, CHAT],
  // --- Meta -----------------------------------------------------------------------------------
  [/^llama-?4/, 'llama4', 1_048_576, null, TOOLS_VISION],
  [/^llama-?3\.2-?vision/, 'mllama', 131_072, null, ['completion', 'vision']],
  [/^(meta-)?llama-?3\.[123]/, 'llama', 131_072, null, TOOLS],
  [/^(meta-)?llama-?3/, 'llama', 8_192, null, CHAT],
  [/^codellama/, 'llama', 16_384, null, CODE_FIM],
  [/^llama/, 'llama', 4_096, null, CHAT],
  // --- Qwen -----------------------------------------------------------------------------------
  [/^qwen3-?coder/, 'qwen3moe', 262_144, 65_536, CODE_FIM_TOOLS],
  [/^qwen3-?vl/, 'qwen3vl', 262_144, null, ALL],
  [/^qwen3/, 'qwen3', 40_960, null, TOOLS_THINKING],
  [/^qwen2\.5-?coder/, 'qwen2', 32_768, null, CODE_FIM_TOOLS],
  [/^qwen2\.5-?vl|^qwen-?vl/, 'qwen25vl', 128_000, null, ['completion', 'vision']],
  [/^qwq/, 'qwen2', 131_072, null, TOOLS_THINKING],
  [/^qwen/, 'qwen2', 32_768, null, TOOLS],
  // --- DeepSeek -------------------------------------------------------------------------------
  [/^deepseek-(r1|reasoner)/, 'deepseek2', 131_072, 65_536, TOOLS_THINKING],
  [/^deepseek-coder/, 'deepseek2', 163_840, null, CODE_FIM],
  [/^deepseek/, 'deepseek2', 131_072, 8_192, TOOLS],
  // --- Mistral --------------------------------------------------------------------------------
  [/^codestral/, 'mistral', 262_144, null, CODE_FIM_TOOLS],
  [/^devstral/, 'mistral', 131_072, null, TOOLS],
  [/^magistral/, 'mistral', 40_000, null, TOOLS_THINKING],
  [/^pixtral/, 'mistral', 131_072, null, TOOLS_VISION],
  [/^mistral-(small|medium)/, 'mistral', 131_072, null, TOOLS_VISION],
  [/^mistral-large|^ministral/, 'mistral', 131_072, null, TOOLS],
  [/^mistral|^mixtral/, 'mistral', 32_768, null, TOOLS],
  // --- others ---------------------------------------------------------------------------------
  [/^grok-4/, 'grok', 256_000, null, ALL],
  [/^grok/, 'grok', 131_072, null, TOOLS],
  [/^kimi-k2/, 'deepseek2', 131_072, null, TOOLS],
  [/^glm-4\.[56]/, 'glm4moe', 131_072, null, TOOLS_THINKING],
  [/^command-r|^command-a/, 'command-r', 131_072, null, TOOLS],
  [/^granite/, 'granite', 131_072, null, TOOLS],
  [/^phi-?4/, 'phi3', 16_384, null, CHAT],
  [/^phi/, 'phi3', 4_096, null, CHAT],
  [/^starcoder/, 'starcoder2', 16_384, null, CODE_FIM],
  [/^nomic-embed|^bge-m3/, 'nomic-bert', 8_192, null, EMBED],
  [/^mxbai-embed|^all-minilm|^snowflake-arctic-embed/, 'bert', 512, null, EMBED],
  [/embed/, 'bert', 8_192, null, EMBED],
];

/** The part of a model id that names the model: `openrouter/anthropic/claude-x:beta` → `claude-x`. */
export function modelStem(model: string): string {
  const base = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  const colon = base.indexOf(':');
  return colon === -1 ? base : base.slice(0, colon);
}

/** Lookups happen per request (the router attaches metadata to each target): remember them. */
const cache = new Map<string, Readonly<ModelMetadata>>();
const CACHE_LIMIT = 2_000;

/** Built-in metadata for a model id, or {} for an unknown family. Treat the result as read-only. */
export function familyDefaults(model: string): Readonly<ModelMetadata> {
  const stem = modelStem(model);
  let found = cache.get(stem);
  if (found) return found;
  const entry = ENTRIES.find(([pattern]) => pattern.test(stem));
  if (entry) {
    const [, family, contextWindow, maxOutputTokens, capabilities] = entry;
    found = { family, contextWindow, ...(maxOutputTokens ? { maxOutputTokens } : {}), capabilities: [...capabilities] };
  } else found = {};
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(stem, found);
  return found;
}

/**
 * What /api/show reports when nothing at all is known about a model's context window. VS Code
 * Copilot's Ollama provider assumes 32768 (or 4096 in older builds) when the field is missing;
 * saying so explicitly keeps every client on the same number.
 */
export const FALLBACK_CONTEXT_WINDOW = 32_768;

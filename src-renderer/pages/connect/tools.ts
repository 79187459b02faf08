/**
 * How each tool is pointed at Switchboard: where the setting lives, the exact snippet, and the
 * calls the tool makes when it starts (replayed by the "check" button). Pure data + string
 * building, so it is table-tested without a browser.
 */
export interface ConnectContext {
  /** e.g. http://127.0.0.1:11434 */
  origin: string;
  /** The client token, or a placeholder naming the token's hint. */
  token: string;
  /** The alias or provider/model the tool should ask for. */
  model: string;
  /** The model for a tool's background calls (Claude Code's haiku slot); the main model if none. */
  smallModel?: string;
}

export interface CheckStep {
  method: 'GET' | 'POST';
  path: string;
  /** The path actually called, when it names a model (Gemini's `models/{model}:countTokens`). */
  pathFor?: (learned: Learned) => string;
  /** Sent as JSON; may use model names learned from the previous steps. */
  body?: (learned: Learned) => unknown;
  dialect: 'openai' | 'anthropic' | 'ollama' | 'gemini';
  /** What the step stands for, when the path alone does not say (two calls to one route). */
  label?: (learned: Learned) => string;
}

/** What the check knows when it builds a step: the chosen models and those listed so far. */
export interface Learned {
  models: string[];
  model: string;
  smallModel: string;
}

export interface ToolGuide {
  id: string;
  name: string;
  /** Where to put the snippet. */
  where: string;
  language: 'shell' | 'json' | 'yaml' | 'toml' | 'javascript' | 'text';
  /** Ollama routes take no token (their clients cannot send one). */
  usesToken: boolean;
  snippet: (context: ConnectContext) => string;
  checks: CheckStep[];
  note?: string;
  /** The tool also makes background calls with a second, smaller model (ConnectContext.smallModel). */
  usesSmallModel?: boolean;
}

const openAiModels: CheckStep = { method: 'GET', path: '/v1/models', dialect: 'openai' };
const anthropicModels: CheckStep = { method: 'GET', path: '/v1/models', dialect: 'anthropic' };
const anthropicCount: CheckStep = {
  method: 'POST', path: '/v1/messages/count_tokens', dialect: 'anthropic',
  body: ({ model }) => ({ model, messages: [{ role: 'user', content: 'ping' }] }),
  label: ({ model }) => `count_tokens for ${model}`,
};
/** Claude Code's background calls (titles, summaries) use the haiku slot: a 404 there is silent in the tool. */
const anthropicCountSmall: CheckStep = {
  method: 'POST', path: '/v1/messages/count_tokens', dialect: 'anthropic',
  body: ({ smallModel }) => ({ model: smallModel, messages: [{ role: 'user', content: 'ping' }] }),
  label: ({ smallModel }) => `count_tokens for ${smallModel} (background model)`,
};
const geminiModels: CheckStep = { method: 'GET', path: '/v1beta/models', dialect: 'gemini' };
const geminiCount: CheckStep = {
  method: 'POST', path: '/v1beta/models/{model}:countTokens', dialect: 'gemini',
  pathFor: ({ model }) => `/v1beta/models/${encodeURIComponent(model)}:countTokens`,
  body: () => ({ contents: [{ role: 'user', parts: [{ text: 'ping' }] }] }),
};
const ollamaVersion: CheckStep = { method: 'GET', path: '/api/version', dialect: 'ollama' };
const ollamaTags: CheckStep = { method: 'GET', path: '/api/tags', dialect: 'ollama' };
const ollamaShow: CheckStep = { method: 'POST', path: '/api/show', dialect: 'ollama', body: ({ models, model }) => ({ model: models[0] ?? model }) };

export const TOOL_GUIDES: ToolGuide[] = [
  {
    id: 'claude-code', name: 'Claude Code', where: 'Your shell profile, or the shell you start claude from', language: 'shell', usesToken: true,
    // Claude Code reads ANTHROPIC_DEFAULT_HAIKU_MODEL for its background calls; versions before
    // 2.0 read ANTHROPIC_SMALL_FAST_MODEL instead. Without either they ask for a claude-…-haiku
    // name, which 404s unless an alias catches it — while the main model works.
    snippet: ({ origin, token, model, smallModel }) =>
      [
        `export ANTHROPIC_BASE_URL=${origin}`,
        `export ANTHROPIC_AUTH_TOKEN=${token}`,
        `export ANTHROPIC_MODEL=${model}`,
        `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${smallModel ?? model}`,
        `export ANTHROPIC_SMALL_FAST_MODEL=${smallModel ?? model}  # Claude Code before 2.0`,
        'claude',
      ].join('\n'),
    checks: [anthropicModels, anthropicCount, anthropicCountSmall],
    usesSmallModel: true,
    note: 'Subagents and the /model picker may ask for claude-… names of their own: a claude-* alias catches them all.',
  },
  {
    id: 'gemini-cli', name: 'Gemini CLI', where: 'Your shell profile, or the shell you start gemini from', language: 'shell', usesToken: true,
    // Gemini CLI sends GEMINI_API_KEY as x-goog-api-key to GOOGLE_GEMINI_BASE_URL once it signs
    // in with a Gemini API key (asked on first start; security.auth.selectedType in settings.json).
    snippet: ({ origin, token, model }) =>
      [
        `export GOOGLE_GEMINI_BASE_URL=${origin}`,
        `export GEMINI_API_KEY=${token}`,
        `gemini --model ${model}  # first start: choose "Use Gemini API key"`,
      ].join('\n'),
    checks: [geminiModels, geminiCount],
    note: 'Gemini CLI also calls gemini-… helper models for side tasks: a gemini-* alias catches them all.',
  },
  {
    id: 'codex', name: 'Codex CLI', where: '~/.codex/config.toml, and the token in your shell', language: 'toml', usesToken: true,
    snippet: ({ origin, token, model }) =>
      `# export SWITCHBOARD_TOKEN=${token}\nmodel = "${model}"\nmodel_provider = "switchboard"\n\n[model_providers.switchboard]\nname = "Switchboard"\nbase_url = "${origin}/v1"\nenv_key = "SWITCHBOARD_TOKEN"\nwire_api = "responses"`,
    checks: [openAiModels],
  },
  {
    id: 'continue', name: 'Continue', where: '~/.continue/config.yaml', language: 'yaml', usesToken: true,
    snippet: ({ origin, token, model }) => `models:\n  - name: ${model} (Switchboard)\n    provider: openai\n    model: ${model}\n    apiBase: ${origin}/v1\n    apiKey: ${token}\n    roles: [chat, edit, apply]`,
    checks: [openAiModels],
  },
  {
    id: 'cline', name: 'Cline', where: 'Cline → Settings → API Provider: "OpenAI Compatible"', language: 'text', usesToken: true,
    snippet: ({ origin, token, model }) => `Base URL:  ${origin}/v1\nAPI Key:   ${token}\nModel ID:  ${model}`,
    checks: [openAiModels],
  },
  {
    id: 'aider', name: 'Aider', where: 'Your shell', language: 'shell', usesToken: true,
    snippet: ({ origin, token, model }) => `export OPENAI_API_BASE=${origin}/v1\nexport OPENAI_API_KEY=${token}\naider --model openai/${model}`,
    checks: [openAiModels],
  },
  {
    id: 'copilot-ollama', name: 'VS Code Copilot (Ollama provider)', where: 'VS Code settings.json, then Copilot Chat → Manage Models → Ollama', language: 'json', usesToken: false,
    snippet: ({ origin }) => `{\n  "github.copilot.chat.byok.ollamaEndpoint": "${origin}"\n}`,
    checks: [ollamaVersion, ollamaTags, ollamaShow],
    note: 'Copilot lists the aliases marked "exposed" as Ollama models; it cannot send a token, so the Ollama routes rely on the loopback, Host and Origin checks.',
  },
  {
    id: 'copilot-openai', name: 'VS Code Copilot (OpenAI-compatible)', where: 'VS Code settings.json; enter the token when Copilot asks for the API key', language: 'json', usesToken: true,
    snippet: ({ origin, token, model }) =>
      `{\n  // API key (asked by Copilot → Manage Models): ${token}\n  "github.copilot.chat.customOAIModels": {\n    "${model}": {\n      "name": "${model} (Switchboard)",\n      "url": "${origin}/v1",\n      "toolCalling": true,\n      "vision": false,\n      "thinking": false,\n      "maxInputTokens": 128000,\n      "maxOutputTokens": 16000,\n      "requiresAPIKey": true\n    }\n  }\n}`,
    checks: [openAiModels],
  },
  {
    id: 'jetbrains', name: 'JetBrains AI Assistant', where: 'Settings → Tools → AI Assistant → Models → Third-party AI providers', language: 'text', usesToken: false,
    snippet: ({ origin }) => `Provider:  Ollama\nURL:       ${origin}\nThen press "Test Connection" and pick a model under "Local models".`,
    checks: [ollamaVersion, ollamaTags],
  },
  {
    id: 'zed', name: 'Zed', where: 'Zed settings.json (zed: open settings)', language: 'json', usesToken: false,
    snippet: ({ origin }) => `{\n  "language_models": {\n    "ollama": {\n      "api_url": "${origin}"\n    }\n  }\n}`,
    checks: [ollamaTags, ollamaShow],
  },
  {
    id: 'open-webui', name: 'Open WebUI', where: 'docker run (host networking, so it reaches 127.0.0.1)', language: 'shell', usesToken: true,
    snippet: ({ origin, token }) =>
      `docker run -d --network=host \\\n  -e OPENAI_API_BASE_URL=${origin}/v1 \\\n  -e OPENAI_API_KEY=${token} \\\n  -e ENABLE_OLLAMA_API=false \\\n  -v open-webui:/app/backend/data --name open-webui \\\n  ghcr.io/open-webui/open-webui:main`,
    checks: [openAiModels],
    note: 'Use 127.0.0.1 with host networking: Switchboard refuses other Host names such as host.docker.internal (DNS-rebinding protection).',
  },
  {
    id: 'openai-sdk', name: 'OpenAI SDK', where: 'Your code (Node; Python is the same with base_url / api_key)', language: 'javascript', usesToken: true,
    snippet: ({ origin, token, model }) =>
      `import OpenAI from 'openai';\n\nconst client = new OpenAI({ baseURL: '${origin}/v1', apiKey: '${token}' });\nconst answer = await client.chat.completions.create({\n  model: '${model}',\n  messages: [{ role: 'user', content: 'Hello' }],\n});`,
    checks: [openAiModels],
  },
  {
    id: 'anthropic-sdk', name: 'Anthropic SDK', where: 'Your code', language: 'javascript', usesToken: true,
    snippet: ({ origin, token, model }) =>
      `import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({ baseURL: '${origin}', apiKey: '${token}' });\nconst answer = await client.messages.create({\n  model: '${model}',\n  max_tokens: 1024,\n  messages: [{ role: 'user', content: 'Hello' }],\n});`,
    checks: [anthropicModels, anthropicCount],
  },
  {
    id: 'gemini-sdk', name: 'Google Gen AI SDK', where: 'Your code (@google/genai; Python google-genai takes the same http_options)', language: 'javascript', usesToken: true,
    snippet: ({ origin, token, model }) =>
      `import { GoogleGenAI } from '@google/genai';\n\nconst ai = new GoogleGenAI({ apiKey: '${token}', httpOptions: { baseUrl: '${origin}' } });\nconst answer = await ai.models.generateContent({\n  model: '${model}',\n  contents: 'Hello',\n});`,
    checks: [geminiModels, geminiCount],
  },
  {
    id: 'ollama-sdk', name: 'Ollama SDK', where: 'Your code', language: 'javascript', usesToken: false,
    snippet: ({ origin, model }) =>
      `import { Ollama } from 'ollama';\n\nconst ollama = new Ollama({ host: '${origin}' });\nconst answer = await ollama.chat({\n  model: '${model}',\n  messages: [{ role: 'user', content: 'Hello' }],\n});`,
    checks: [ollamaTags],
  },
];

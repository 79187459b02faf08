import type { CheckStep, Learned } from './tools';

export interface CheckResult {
  step: CheckStep;
  /** What was checked, e.g. "POST /v1/messages/count_tokens" or the step's own label. */
  title: string;
  status: number | null;
  ok: boolean;
  /** One line on what the tool would see. */
  summary: string;
  /** The body as text (never rendered as HTML). */
  body: string;
}

/** The headers each dialect's clients send with their key. */
function headersFor(step: CheckStep, token: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (step.method === 'POST') headers['content-type'] = 'application/json';
  if (step.dialect === 'openai' && token) headers.authorization = `Bearer ${token}`;
  if (step.dialect === 'gemini' && token) headers['x-goog-api-key'] = token;
  if (step.dialect === 'anthropic') {
    headers['anthropic-version'] = '2023-06-01';
    if (token) headers['x-api-key'] = token;
  }
  return headers;
}

/** Model names a listing answer carries (OpenAI/Anthropic `data[].id`, Ollama `models[].name`, Gemini `models[].name` as `models/…`). */
export function modelNamesFrom(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as { data?: Array<{ id?: unknown }>; models?: Array<{ name?: unknown }> };
  if (Array.isArray(record.data)) return record.data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
  if (Array.isArray(record.models)) return record.models.map((m) => m.name).filter((name): name is string => typeof name === 'string').map((name) => name.replace(/^models\//, ''));
  return [];
}

/** What a tool would conclude from one answer. */
export function summarize(step: CheckStep, status: number, body: unknown): string {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const error = record.error as { message?: string; code?: string; type?: string } | string | undefined;
  if (status >= 400) {
    if (typeof error === 'string') return error;
    return `${error?.code ?? error?.type ?? 'error'}: ${error?.message ?? 'request refused'}`;
  }
  const models = modelNamesFrom(body);
  if (step.path.endsWith('/models') || step.path === '/api/tags') {
    return models.length === 0 ? 'no models — mark an alias "exposed" or add a provider' : `${models.length} model${models.length === 1 ? '' : 's'}: ${models.slice(0, 5).join(', ')}${models.length > 5 ? ', …' : ''}`;
  }
  if (step.path === '/api/version') return `version ${String(record.version ?? '?')}`;
  if (step.path === '/api/show') return `capabilities: ${Array.isArray(record.capabilities) ? record.capabilities.join(', ') : 'none listed'}`;
  if (step.path.endsWith('/count_tokens')) return `input_tokens: ${String(record.input_tokens ?? '?')}`;
  if (step.path.endsWith(':countTokens')) return `totalTokens: ${String(record.totalTokens ?? '?')}`;
  return 'ok';
}

export interface CheckOptions {
  origin: string;
  token: string | null;
  model: string;
  smallModel?: string;
  fetch?: typeof fetch;
}

/** Replays the steps in order against the gateway, as the tool would at start-up. */
export async function runChecks(steps: CheckStep[], options: CheckOptions): Promise<CheckResult[]> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const results: CheckResult[] = [];
  const learned: Learned = { models: [], model: options.model, smallModel: options.smallModel ?? options.model };
  for (const step of steps) {
    try {
      const response = await doFetch(`${options.origin}${step.pathFor?.(learned) ?? step.path}`, {
        method: step.method,
        headers: headersFor(step, options.token),
        body: step.body ? JSON.stringify(step.body(learned)) : undefined,
      });
      const text = await response.text();
      let parsed: unknown = null;
      try { parsed = JSON.parse(text); } catch { /* not JSON: summarised from the status alone */ }
      if (response.ok) learned.models = modelNamesFrom(parsed).length ? modelNamesFrom(parsed) : learned.models;
      results.push({ step, title: titleOf(step, learned), status: response.status, ok: response.ok, summary: summarize(step, response.status, parsed), body: text.slice(0, 4000) });
    } catch (error) {
      results.push({ step, title: titleOf(step, learned), status: null, ok: false, summary: `could not connect: ${error instanceof Error ? error.message : String(error)}`, body: '' });
    }
  }
  return results;
}

function titleOf(step: CheckStep, learned: Learned): string {
  const path = step.pathFor?.(learned) ?? step.path;
  return step.label ? `${step.method} ${path} · ${step.label(learned)}` : `${step.method} ${path}`;
}

// The bench's scenarios (bench/run.mjs runs them): what each sends, at which concurrency, to
// which targets. Targets: direct (the mock itself), minimal (bench/minimal-proxy.mjs) and
// Switchboard with every feature on as issue 18 asks — a client with every limit set (none
// reached), loop detection on, history on — plus the variants one scenario compares against.

export const UNIQUE = '@@N@@';
const fresh = [{ role: 'user', content: `Hello, benchmark! ${UNIQUE}` }];
const hello = [{ role: 'user', content: 'Hello, benchmark!' }];

export const conversation64k = (() => {
  const messages = [{ role: 'system', content: 'You are a helpful coding assistant. '.repeat(20) }];
  while (JSON.stringify(messages).length < 64 * 1024) {
    messages.push({ role: 'user', content: 'Please refactor this function and explain the change. '.repeat(12) });
    messages.push({ role: 'assistant', content: 'Here is the refactored function with an explanation of each step. '.repeat(12) });
  }
  messages.push({ role: 'user', content: 'Thanks, one more question.' });
  return messages;
})();

/**
 * A coding agent's most common turn: the same 64 KB, made of tool calls and their results, ending
 * in a tool result (the agent's loop sends it the moment a tool returns). Each call reads another
 * file, so the tool-loop check reads the conversation and finds no repeat.
 */
export const toolResult64k = (() => {
  const messages = [
    { role: 'system', content: 'You are a coding agent. Use the tools to read and edit files. '.repeat(20) },
    { role: 'user', content: 'The parser tests fail since the last change; find out why and fix it.' },
  ];
  const source = 'export function parse(input: string): Node[] {\n  const tokens = tokenize(input);\n  return tokens.map(toNode);\n}\n'.repeat(14);
  for (let turn = 0; JSON.stringify(messages).length < 64 * 1024; turn++) {
    const id = `call_${String(turn).padStart(4, '0')}`;
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: `src/parser/part-${turn}.ts` }) } }] });
    messages.push({ role: 'tool', tool_call_id: id, content: source });
  }
  return messages;
})();

const chat = (stream, messages = hello) => ({ path: '/v1/chat/completions', stream, body: (t) => ({ model: t.model ?? 'bench', messages, stream }) });
/** A translated scenario: the minimal proxy gets the same question as a chat stream. */
const translated = (request) => ({ ...request, body: (t) => (t.name === 'minimal' ? chat(true).body(t) : request.body(t)) });
const anthropicStream = (messages) => ({ path: '/v1/messages', stream: true, headers: { 'anthropic-version': '2023-06-01' }, body: (t) => ({ model: t.model ?? 'bench', max_tokens: 512, stream: true, messages }) });
const geminiDoor = { path: '/v1beta/models/bench:streamGenerateContent?alt=sse', stream: true, body: () => ({ contents: [{ role: 'user', parts: [{ text: 'Hello, benchmark!' }] }] }) };
const toMinimal = { minimal: '/v1/chat/completions' };
const SAME = ['direct', 'minimal', 'switchboard'];
/**
 * Streams a translated scenario's run takes at least: the engine runs a mark-compact every few
 * hundred streams, so a run of ~100 (what a loaded core leaves in 2.5 s) reads its CPU per stream
 * from too few of them.
 */
const STREAMS_AT_LEAST = 1000;
/** A translated scenario's round: the minimal and Switchboard take turns in this many short runs (bench/run.mjs slicedRound). */
const SLICES = 4;
const TEAM = [...SAME, 'switchboard-team'];

export const ALL_SCENARIOS = [
  { name: 'chat json c=1', request: chat(false), concurrency: 1, targets: SAME },
  { name: 'chat json c=10', request: chat(false), concurrency: 10, targets: [...SAME, 'switchboard-nohistory'] },
  { name: 'chat json c=100', request: chat(false), concurrency: 100, targets: SAME },
  { name: 'chat json 64KB c=10', request: chat(false, conversation64k), concurrency: 10, targets: SAME },
  { name: 'chat json 64KB tool result c=10', request: chat(false, toolResult64k), concurrency: 10, targets: SAME },
  { name: 'chat SSE c=1', request: chat(true), concurrency: 1, targets: SAME },
  { name: 'chat SSE c=10', request: chat(true), concurrency: 10, targets: [...SAME, 'switchboard-nohistory'] },
  // Translated paths (client dialect ≠ provider kind), compared with the minimal pass-through: in
  // each round the two take turns in SLICES short runs, and a round goes on past BENCH_SECONDS
  // until each has done STREAMS_AT_LEAST streams (bench/run.mjs).
  { name: 'anthropic→openai SSE c=10', translated: true, concurrency: 10, atLeast: STREAMS_AT_LEAST, slices: SLICES, targets: ['minimal', 'switchboard'], request: translated(anthropicStream(hello)), pathFor: toMinimal },
  { name: 'openai→anthropic SSE c=10', translated: true, concurrency: 10, atLeast: STREAMS_AT_LEAST, slices: SLICES, targets: ['minimal', 'switchboard'], request: translated({ ...chat(true), body: () => ({ model: 'bench-anthropic', stream: true, messages: hello }) }) },
  { name: 'ollama→openai NDJSON c=10', translated: true, concurrency: 10, atLeast: STREAMS_AT_LEAST, slices: SLICES, targets: ['minimal', 'switchboard'], request: translated({ path: '/api/chat', stream: true, body: () => ({ model: 'bench', messages: hello }) }), pathFor: toMinimal },
  { name: 'responses→chat SSE c=10', translated: true, concurrency: 10, atLeast: STREAMS_AT_LEAST, slices: SLICES, targets: ['minimal', 'switchboard'], request: translated({ path: '/v1/responses', stream: true, body: () => ({ model: 'bench', input: 'Hello, benchmark!', stream: true }) }), pathFor: toMinimal },
  { name: 'chat→gemini SSE c=10', translated: true, concurrency: 10, atLeast: STREAMS_AT_LEAST, slices: SLICES, targets: ['minimal', 'switchboard'], request: translated({ ...chat(true), body: () => ({ model: 'bench-gemini', stream: true, messages: hello }) }) },
  { name: 'gemini door→openai SSE c=10', translated: true, concurrency: 10, atLeast: STREAMS_AT_LEAST, slices: SLICES, targets: ['minimal', 'switchboard'], request: translated(geminiDoor), pathFor: toMinimal },
  // The response cache (issue 15): an alias with the cache on, every request a new question (all
  // misses: key, lookup, fill), against the same alias without it; then the same question (hits).
  { name: 'cache miss: chat json c=10', cache: true, concurrency: 10, targets: ['switchboard', 'switchboard-cache'], request: chat(false, fresh) },
  { name: 'cache miss: anthropic→openai SSE c=10', cache: true, concurrency: 10, targets: ['switchboard', 'switchboard-cache'], request: anthropicStream(fresh) },
  { name: 'cache hit: chat json c=10', cache: true, concurrency: 10, targets: ['switchboard', 'switchboard-cache'], request: chat(false) },
  // Governance (issue 13): the client with every limit set (the main target) against one with
  // none, and a provider with pacing limits, same mock behind all three.
  { name: 'governance: chat json c=10', governance: true, concurrency: 10, targets: ['switchboard-ungoverned', 'switchboard', 'switchboard-paced'], request: chat(false) },
  { name: 'governance: chat SSE c=10', governance: true, concurrency: 10, targets: ['switchboard-ungoverned', 'switchboard', 'switchboard-paced'], request: chat(true) },
  // Loop detection on (the default) against the same engine with it off: the fast path (tool-loop
  // check, session id) and a translated stream (the text loop tap on every delta).
  { name: 'guardrails: chat SSE c=10', concurrency: 10, targets: ['switchboard', 'switchboard-noguards'], request: chat(true) },
  { name: 'guardrails: openai→anthropic SSE c=10', concurrency: 10, targets: ['switchboard', 'switchboard-noguards'], request: { ...chat(true), body: () => ({ model: 'bench-anthropic', stream: true, messages: hello }) } },
  // Metrics (issue 15): the same engine with GET /metrics enabled against it off (the main target).
  { name: 'metrics: chat json c=10', concurrency: 10, targets: ['switchboard', 'switchboard-metrics'], request: chat(false) },
  { name: 'metrics: anthropic→openai SSE c=10', concurrency: 10, targets: ['switchboard', 'switchboard-metrics'], request: anthropicStream(hello) },
  // Team server (issue 17): two team-mode instances on one PostgreSQL + one Redis-compatible server
  // (bench/team.mjs; the generator round-robins over both) beside one SQLite instance, the minimal
  // proxy and the mock itself. BENCH_ONLY=team runs only these.
  // HTTP/2 to the provider (issue 18): the same engine and answers, the provider on https (the TLS
  // mock offers h2 and http/1.1), once with http2 off (HTTP/1.1 over TLS) and once on (one h2 connection).
  { name: 'h2: chat json c=10', h2: true, concurrency: 10, targets: ['switchboard-tls-h1', 'switchboard-tls-h2'], request: chat(false) },
  { name: 'h2: chat SSE c=10', h2: true, concurrency: 10, targets: ['switchboard-tls-h1', 'switchboard-tls-h2'], request: chat(true) },
  { name: 'team: chat json c=10', team: true, concurrency: 10, targets: TEAM, request: chat(false) },
  { name: 'team: chat SSE c=10', team: true, concurrency: 10, targets: TEAM, request: chat(true) },
];

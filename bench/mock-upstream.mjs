// Mock provider for the bench (plain node:http, as cheap as possible): OpenAI chat (JSON / SSE with
// 50 content chunks + usage), Anthropic messages (JSON / SSE) and Gemini generateContent (JSON /
// SSE). A model name with "-slow" streams like a real model: SLOW_EVENTS chunks, SLOW_GAP_MS
// apart. Prints its port on stdout. With MOCK_TLS_KEY and MOCK_TLS_CERT (PEM files) it serves
// https instead, offering HTTP/2 and HTTP/1.1 by ALPN (node:http2, the same handler): the h2 scenarios.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';

const CHUNKS = 50;
const openAiJson = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1750000000, model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! This is a short benchmark answer.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
});
const head = '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1750000000,"model":"bench-model"';
function openAiStream(withUsage) {
  const u = withUsage ? ',"usage":null' : '';
  let out = `data: ${head},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]${u}}\n\n`;
  for (let i = 0; i < CHUNKS; i++) out += `data: ${head},"choices":[{"index":0,"delta":{"content":" tok${i} tok${i}b tok${i}c"},"finish_reason":null}]${u}}\n\n`;
  out += `data: ${head},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]${u}}\n\n`;
  if (withUsage) out += `data: ${head},"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":150,"total_tokens":162}}\n\n`;
  return `${out}data: [DONE]\n\n`;
}
// Every answer is built once: the mock shares the servers' core, and building the Anthropic or
// Gemini events per request (a JSON.stringify each) would charge the translated scenarios for
// work the minimal proxy's scenario never causes.
const OPENAI_EVENTS = { true: openAiStream(true).split(/(?<=\n\n)/), false: openAiStream(false).split(/(?<=\n\n)/) };
const openAiEvents = (withUsage) => OPENAI_EVENTS[withUsage];
const anthropicJson = JSON.stringify({
  id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench-model', content: [{ type: 'text', text: 'Hello! This is a short benchmark answer.' }],
  stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 12, output_tokens: 9 },
});
function anthropicEvents() {
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const out = [ev('message_start', { message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })];
  for (let i = 0; i < CHUNKS; i++) out.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ` tok${i} tok${i}b tok${i}c` } }));
  out.push(ev('content_block_stop', { index: 0 }), ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 150 } }), ev('message_stop', {}));
  return out;
}
const geminiJson = JSON.stringify({ candidates: [{ index: 0, finishReason: 'STOP', content: { role: 'model', parts: [{ text: 'Hello! This is a short benchmark answer.' }] } }], usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 9, totalTokenCount: 21 }, modelVersion: 'bench-model' });
function geminiEvents() {
  const out = [];
  for (let i = 0; i < CHUNKS; i++) {
    out.push(`data: ${JSON.stringify({ candidates: [{ index: 0, content: { role: 'model', parts: [{ text: ` tok${i} tok${i}b tok${i}c` }] }, ...(i === CHUNKS - 1 ? { finishReason: 'STOP' } : {}) }], usageMetadata: { promptTokenCount: 12, candidatesTokenCount: i + 1, totalTokenCount: 13 + i } })}\r\n\r\n`);
  }
  return out;
}

const SLOW_EVENTS = 30;
const SLOW_GAP_MS = 100;
/** A paced OpenAI stream (role and first content chunk at once, then one chunk per gap, then the end). */
function sendSlow(res) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const events = openAiEvents(false);
  res.write(events[0] + events[1]);
  let next = 2;
  const timer = setInterval(() => {
    if (next > SLOW_EVENTS) {
      clearInterval(timer);
      res.end(events.slice(-2).join(''));
      return;
    }
    res.write(events[next++]);
  }, SLOW_GAP_MS);
  res.on('close', () => clearInterval(timer));
}

const ANTHROPIC_EVENTS = anthropicEvents();
const GEMINI_EVENTS = geminiEvents();

function sendEvents(res, events, contentType = 'text/event-stream') {
  res.writeHead(200, { 'content-type': contentType });
  for (const event of events) res.write(event);
  res.end();
}

const handle = (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString();
    const url = req.url ?? '';
    const stream = raw.includes('"stream":true') || url.includes('streamGenerateContent');
    if (url.endsWith('/models') || url.includes('/models?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(url.includes('v1beta') ? '{"models":[{"name":"models/bench-model","supportedGenerationMethods":["generateContent"]}]}' : '{"object":"list","data":[{"id":"bench-model","object":"model","created":1,"owned_by":"bench"}]}');
    }
    if (url.includes('/v1/messages')) return stream ? sendEvents(res, ANTHROPIC_EVENTS) : (res.writeHead(200, { 'content-type': 'application/json' }), res.end(anthropicJson));
    if (url.includes(':streamGenerateContent')) return sendEvents(res, GEMINI_EVENTS);
    if (url.includes(':generateContent')) return (res.writeHead(200, { 'content-type': 'application/json' }), res.end(geminiJson));
    if (stream && raw.includes('-slow"')) return sendSlow(res);
    if (stream) return sendEvents(res, openAiEvents(raw.includes('"include_usage":true')));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(openAiJson);
  });
};
const { MOCK_TLS_KEY: keyFile, MOCK_TLS_CERT: certFile } = process.env;
const server = keyFile && certFile ? createSecureServer({ key: readFileSync(keyFile), cert: readFileSync(certFile), allowHTTP1: true }, handle) : createServer(handle);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));

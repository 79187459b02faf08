/**
 * The upstream client reads answers through its own dispatch handler (upstream/dispatch-answer.ts),
 * not undici's request() stream: these check what the stream used to give for free — every byte
 * in order under backpressure, the connection slot back however the body ends, abort before and
 * after the headers, the idle budget — against a real HTTP server on loopback.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src-proxy/errors/codes.ts';
import { createUpstreamHttp, wholeBodyInHand, type ChunkPoll, type UpstreamHttp, type UpstreamRequest } from '../../src-proxy/upstream/http-client.ts';

const servers: Server[] = [];
const clients: UpstreamHttp[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: (res: ServerResponse, path: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    handler(res, req.url ?? '');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(connections = 1): UpstreamHttp {
  const http = createUpstreamHttp({ connectionsPerHost: () => connections });
  clients.push(http);
  return http;
}

/** Waits (bounded) for a condition the event loop brings about. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const call = (url: string, signal = new AbortController().signal, idleMs = 10_000): UpstreamRequest => ({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{}',
  signal,
  timeouts: { connectMs: 5_000, firstByteMs: 10_000, idleMs, totalMs: 0 },
});

/** 4 MB in 64 KB chunks, each chunk's bytes naming its index: order and completeness are checkable. */
const CHUNKS = 64;
const chunk = (i: number) => Buffer.alloc(64 * 1024, i % 251);

describe('upstream answers through the dispatch handler', () => {
  it('delivers every byte in order to a slow reader (the parser pauses and resumes)', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-twice': ['a', 'b'] });
      let i = 0;
      const more = () => {
        while (i < CHUNKS) if (!res.write(chunk(i++))) return void res.once('drain', more);
        res.end();
      };
      more();
    });
    const response = await client().send(call(`${url}/v1/big`));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['x-twice']).toEqual(['a', 'b']);
    const parts: Buffer[] = [];
    for await (const part of response.body) {
      parts.push(part);
      // A reader slower than the socket: undici must hold back, not buffer the whole answer.
      if (parts.length % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const all = Buffer.concat(parts);
    expect(all.length).toBe(CHUNKS * 64 * 1024);
    for (let i = 0; i < CHUNKS; i++) expect(all[i * 64 * 1024]).toBe(i % 251);
  });

  it('gives the connection slot back however the body ends: read, left early, disposed', async () => {
    const url = await serve((res, path) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (path === '/open') res.write('first');
      // A stream whose client stopped at its terminal event: the rest comes a little later.
      else if (path === '/tail') {
        res.write('first');
        setTimeout(() => res.end('rest'), 50);
      } else res.end('whole');
    });
    // One connection: a call whose slot was not given back would wait forever.
    const http = client(1);
    const read = await http.send(call(`${url}/whole`));
    expect(await read.text()).toBe('whole');
    const left = await http.send(call(`${url}/tail`));
    for await (const part of left.body) {
      expect(part.toString()).toBe('first');
      break;
    }
    const disposed = await http.send(call(`${url}/open`));
    disposed.dispose();
    const last = await http.send(call(`${url}/whole`));
    expect(await last.text()).toBe('whole');
  });

  it('an abort reaches the call before its headers and in the middle of its body, with its reason', async () => {
    const url = await serve((res, path) => {
      if (path === '/silent') return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part');
    });
    const http = client(4);
    const before = new AbortController();
    const waiting = http.send(call(`${url}/silent`, before.signal));
    before.abort(new GatewayError('client_closed'));
    await expect(waiting).rejects.toMatchObject({ code: 'client_closed' });

    const during = new AbortController();
    const response = await http.send(call(`${url}/open`, during.signal));
    const reading = (async () => {
      for await (const part of response.body) expect(part.toString()).toBe('part');
    })();
    during.abort(new GatewayError('client_closed'));
    await expect(reading).rejects.toMatchObject({ code: 'client_closed' });
  });

  it('hands over the chunks it already holds without a promise (poll), in order, then ends through next()', async () => {
    // Many HTTP chunks in one socket write, as a fast provider streams a short answer.
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.cork();
      for (let i = 0; i < 40; i++) res.write(`data: ${i}\n\n`);
      res.end();
    });
    const http = client(1);
    const response = await http.send(call(`${url}/v1/fast`));
    const body = response.body as unknown as AsyncIterator<Buffer> & ChunkPoll;
    let text = '';
    let polled = 0;
    for (;;) {
      const result = await body.next();
      if (result.done) break;
      text += result.value.toString();
      for (let more = body.poll(); more !== undefined; more = body.poll()) {
        polled++;
        text += more.toString();
      }
    }
    expect(text).toBe(Array.from({ length: 40 }, (_, i) => `data: ${i}\n\n`).join(''));
    // Not every chunk cost a promise: the rest of a read was taken in hand.
    expect(polled).toBeGreaterThan(0);
    expect(body.poll()).toBeUndefined();
    // The slot came back: the one connection serves the next call.
    expect((await (await http.send(call(`${url}/v1/fast`))).text()).length).toBe(text.length);
  });

  it('takes a whole answer already received without a promise, and gives its slot back; an unfinished one is left to read', async () => {
    let release: (() => void) | null = null;
    const url = await serve((res, path) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (path === '/whole') return void res.end('{"answer":"in one read"}');
      res.write('{"answer":');
      release = () => res.end('"later"}');
    });
    const http = client(1);
    const whole = await http.send(call(`${url}/whole`));
    // The headers and a small body usually come in one read; polled until the body is here either way.
    let taken: Buffer | null = null;
    await until(() => (taken = wholeBodyInHand(whole.body)) !== null, 'the body arrived');
    expect(taken!.toString()).toBe('{"answer":"in one read"}');
    // The slot came back with it: the one connection serves the next call.
    const partial = await http.send(call(`${url}/partial`));
    await until(() => release !== null, 'the server wrote half');
    // Half an answer is not taken (and nothing of it is lost): it is read the usual way.
    expect(wholeBodyInHand(partial.body)).toBeNull();
    release!();
    expect(await partial.text()).toBe('{"answer":"later"}');
  });

  it('a body that goes silent past the idle budget fails as an idle timeout', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part');
    });
    const response = await client().send(call(`${url}/open`, new AbortController().signal, 300));
    const reading = (async () => {
      for await (const part of response.body) expect(part.toString()).toBe('part');
    })();
    await expect(reading).rejects.toMatchObject({ code: 'upstream_idle_timeout' });
  });
});

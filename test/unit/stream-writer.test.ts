/**
 * The stream writer joins a tick's writes into one socket write; `flush` is the exception the
 * first token and the bytes before the history row's bookkeeping take: they are handed to the
 * kernel at once, not when Node uncorks the socket on the next tick. Real server on loopback.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createStreamWriter } from '../../src-proxy/http/stream-writer.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

it('writeNow sends at once without queueing an end-of-tick write for nothing (the first token)', async () => {
  const seen: Array<{ flushed: number; corked: number; ticks: string[] }> = [];
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const writer = createStreamWriter(res);
    const socket = res.socket!;
    const ticks: string[] = [];
    const nextTick = process.nextTick;
    process.nextTick = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
      ticks.push(callback.name);
      nextTick(callback, ...args);
    }) as typeof process.nextTick;
    try {
      writer.writeNow('data: role\n\ndata: first token\n\n');
    } finally {
      process.nextTick = nextTick;
    }
    seen.push({ flushed: socket.bytesWritten, corked: socket.writableCorked, ticks });
    setImmediate(() => writer.end('data: [DONE]\n\n'));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const body = await new Promise<string>((resolve, reject) => {
    request({ port, host: '127.0.0.1', method: 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
  expect(body).toBe('data: role\n\ndata: first token\n\ndata: [DONE]\n\n');
  const [marks] = seen;
  // The head and the token left at once, the socket uncorked.
  expect(marks!.corked).toBe(0);
  expect(marks!.flushed).toBeGreaterThan('data: role\n\ndata: first token\n\n'.length);
  // No write of the writer's own was queued for the end of the tick (write + flush queued one).
  expect(marks!.ticks).not.toContain('flushQueued');
});

it('flush hands what is queued to the socket at once; later writes still join and end cleanly', async () => {
  const seen: Array<{ atWrite: number; atFlush: number; corked: number; flushed: number; afterWrite: number }> = [];
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const writer = createStreamWriter(res);
    const socket = res.socket!;
    void writer.write('data: first\n\n');
    // Queued in the writer: nothing reached the socket yet.
    const atWrite = socket.bytesWritten;
    writer.flush();
    const atFlush = socket.writableLength;
    const corked = socket.writableCorked;
    const flushed = socket.bytesWritten;
    void writer.write('data: second\n\n');
    void writer.write('data: third\n\n');
    seen.push({ atWrite, atFlush, corked, flushed, afterWrite: socket.bytesWritten });
    setImmediate(() => writer.end('data: [DONE]\n\n'));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const body = await new Promise<string>((resolve, reject) => {
    request({ port, host: '127.0.0.1', method: 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
  expect(body).toBe('data: first\n\ndata: second\n\ndata: third\n\ndata: [DONE]\n\n');
  expect(seen).toHaveLength(1);
  const [marks] = seen;
  expect(marks!.atWrite).toBe(0);
  // Flushed: the head and the first event left the socket's buffer (not corked until the next tick).
  expect(marks!.corked).toBe(0);
  expect(marks!.atFlush).toBe(0);
  expect(marks!.flushed).toBeGreaterThan('data: first\n\n'.length);
  // The writes after it are queued in the writer again (one socket write at the end of the tick).
  expect(marks!.afterWrite).toBe(marks!.flushed);
});

// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { forgetAdminToken, signedOut, takeAdminToken } from '../../src-renderer/api/admin-token';
import { toControlError } from '../../src-renderer/api/control-error';
import { createHttpClient } from '../../src-renderer/api/http-client';
import { parseEventData, readServerSentEvents } from '../../src-renderer/api/sse-reader';
import type { ClientEvent, ControlEvent } from '../../src-renderer/api/types';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), removeItem: (key: string) => void map.delete(key) };
}

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({ start(controller) { for (const chunk of chunks) controller.enqueue(encoder.encode(chunk)); controller.close(); } });
}

describe('admin token', () => {
  it('moves the token from the fragment into session storage and strips it from the address', () => {
    const storage = memoryStorage();
    const replaceState = vi.fn();
    const token = takeAdminToken({ location: { hash: '#token=abc123', pathname: '/_switchboard/', search: '' }, history: { replaceState, state: null }, storage });
    expect(token).toBe('abc123');
    expect(storage.getItem('switchboard.adminToken')).toBe('abc123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/_switchboard/');
  });

  it('falls back to the stored token on reload', () => {
    const storage = memoryStorage();
    storage.setItem('switchboard.adminToken', 'kept');
    const replaceState = vi.fn();
    expect(takeAdminToken({ location: { hash: '#/history', pathname: '/_switchboard/', search: '' }, history: { replaceState, state: null }, storage })).toBe('kept');
    expect(replaceState).not.toHaveBeenCalled();
  });
});

describe('sign-out', () => {
  it('forgets the token in this tab and says so until a token is given again', () => {
    const storage = memoryStorage();
    const history = { replaceState: vi.fn(), state: null };
    const at = (hash: string) => ({ location: { hash, pathname: '/_switchboard/', search: '' }, history, storage });
    expect(takeAdminToken(at('#token=abc123'))).toBe('abc123');
    expect(signedOut(storage)).toBe(false);
    forgetAdminToken(storage);
    expect(takeAdminToken(at(''))).toBeNull();
    expect(signedOut(storage)).toBe(true);
    expect(takeAdminToken(at('#token=again'))).toBe('again');
    expect(signedOut(storage)).toBe(false);
  });

  it('asks the server who is signed in with the admin header, and signs out through the page', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, result: { name: 'admin', via: 'admin-token' } })));
    const signOut = vi.fn();
    const client = createHttpClient({ adminToken: 'tok', fetch: fetchMock, signOut });
    await expect(client.session!.whoAmI()).resolves.toEqual({ name: 'admin', via: 'admin-token' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/_switchboard/session');
    expect((init.headers as Record<string, string>)['x-switchboard-admin']).toBe('tok');
    client.session!.signOut();
    expect(signOut).toHaveBeenCalledOnce();
  });
});

describe('server-sent events', () => {
  it('joins data lines, skips comments and survives events split across chunks', async () => {
    const seen: string[] = [];
    await readServerSentEvents(streamOf([': ping\n\n', 'data: {"a"', ':1}\n\ndata: x\ndata: y\n\n', 'data: last\n\n']), (data) => seen.push(data));
    expect(seen).toEqual(['{"a":1}', 'x\ny', 'last']);
    expect(parseEventData(': comment')).toBeNull();
  });
});

describe('HTTP control client', () => {
  it('posts the request with the admin header and unwraps the result', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, result: [{ alias: 'a' }] })));
    const client = createHttpClient({ adminToken: 'tok', fetch: fetchMock });
    await expect(client.invoke('listAliases')).resolves.toEqual([{ alias: 'a' }]);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/_switchboard/api/listAliases');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{}');
    expect((init.headers as Record<string, string>)['x-switchboard-admin']).toBe('tok');
    expect(url).not.toContain('tok');
  });

  it('rejects with the core error code and message', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: false, error: { code: 'provider_not_found', message: 'No provider with this id is configured.' } }), { status: 404 }));
    const client = createHttpClient({ adminToken: 'tok', fetch: fetchMock });
    await expect(client.invoke('testProvider', { providerId: 'x' })).rejects.toMatchObject({ code: 'provider_not_found', message: 'No provider with this id is configured.' });
  });

  it('reads live events from a fetch stream with the admin header (not the URL) and stops on unsubscribe', async () => {
    const event: ControlEvent = { type: 'history', rows: [] };
    let signal: AbortSignal | undefined;
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return new Response(streamOf([': connected\n\n', `data: ${JSON.stringify(event)}\n\n`]), { headers: { 'content-type': 'text/event-stream' } });
    });
    const client = createHttpClient({ adminToken: 'tok', fetch: fetchMock as typeof fetch, reconnectMs: 10_000 });
    const received: ClientEvent[] = [];
    const unsubscribe = client.onEvent((e) => received.push(e));
    await vi.waitFor(() => expect(received[0]).toEqual(event));
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/_switchboard/events');
    expect((init!.headers as Record<string, string>)['x-switchboard-admin']).toBe('tok');
    unsubscribe();
    expect(signal?.aborted).toBe(true);
  });
});

describe('HTTP control client after an engine restart', () => {
  it('says the stream dropped, retries, and says it is back so the page re-reads', async () => {
    const event: ControlEvent = { type: 'history', rows: [] };
    let attempt = 0;
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      attempt += 1;
      if (attempt === 2) throw new TypeError('Failed to fetch'); // serve is down
      const body = attempt === 1 ? streamOf([`data: ${JSON.stringify(event)}\n\n`]) : new ReadableStream<Uint8Array>({ start() {} });
      init?.signal?.addEventListener('abort', () => undefined);
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const client = createHttpClient({ adminToken: 'tok', fetch: fetchMock as typeof fetch, reconnectMs: 5 });
    const received: ClientEvent[] = [];
    const unsubscribe = client.onEvent((e) => received.push(e));
    await vi.waitFor(() => expect(received).toEqual([event, { type: 'connection', connected: false }, { type: 'connection', connected: true }]));
    expect(attempt).toBe(3);
    unsubscribe();
  });

  it('stops retrying on 401 but lets the page re-read (it then shows how to get back in)', async () => {
    let attempt = 0;
    const fetchMock = vi.fn(async () => {
      attempt += 1;
      if (attempt === 1) return new Response(streamOf([]), { headers: { 'content-type': 'text/event-stream' } });
      return new Response('{"ok":false}', { status: 401 });
    });
    const client = createHttpClient({ adminToken: 'old', fetch: fetchMock as typeof fetch, reconnectMs: 5 });
    const received: ClientEvent[] = [];
    const unsubscribe = client.onEvent((e) => received.push(e));
    await vi.waitFor(() => expect(received).toEqual([{ type: 'connection', connected: false }, { type: 'connection', connected: true }]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempt).toBe(2);
    unsubscribe();
  });
});

describe('errors from the Electron bridge', () => {
  it('recovers the code from an ipcRenderer.invoke rejection message', () => {
    const error = toControlError(new Error("Error invoking remote method 'sb:addKey': GatewayError: secret_unavailable: A stored key could not be decrypted"));
    expect(error.code).toBe('secret_unavailable');
  });

  it('keeps a code carried as a property', () => {
    expect(toControlError({ code: 'port_in_use', message: 'Port 11434 is in use' })).toMatchObject({ code: 'port_in_use', message: 'Port 11434 is in use' });
  });
});

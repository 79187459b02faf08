/**
 * Finding 7: bad input gets a 4xx in the caller's own error shape — never a 500, a stack
 * overflow, a 200 or a connection reset. A corpus of malformed bodies across every front door
 * (test/fixtures/malformed-corpus.ts), JSON nested past the depth limit on every route, and
 * bodies over the size limit sent by a client that reads only after writing everything.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientHeaders, malformedCorpus, sendMalformed, shapeProblem } from '../fixtures/malformed-corpus.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';
import { jsonNestsDeeperThan } from '../../src-proxy/security/json-depth.ts';

describe('malformed bodies at every front door', () => {
  let upstream: FakeOpenAi;
  let harness: Harness;
  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    harness = await startGateway({
      providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
      aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'x' }] }],
      // Body capture on: the captured copy must not be where a deep body overflows the stack.
      settings: { recordBodies: true },
    });
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  const corpus = malformedCorpus('m');

  it('has at least 500 cases across all sixteen front-door endpoints (Gemini’s five included)', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.map((entry) => entry.door.path)).size).toBe(16);
    expect(corpus.filter((entry) => entry.door.shape === 'gemini').length).toBeGreaterThanOrEqual(100);
  });

  it('answers every one with a 4xx in the door’s own error shape, and forwards none of them', async () => {
    const forwardedBefore = upstream.requests.filter((r) => r.method === 'POST').length;
    const failures: string[] = [];
    // Eight at a time: the corpus is large and the machine may be busy.
    const queue = [...corpus];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) await check(entry);
    };
    const check = async (entry: (typeof corpus)[number]) => {
      const { status, text, body } = await sendMalformed(harness.origin, harness.token, entry);
      const problem = status < 400 || status >= 500 ? `status ${status}` : shapeProblem(entry.door.shape, body);
      if (problem) failures.push(`${entry.door.path} ${entry.label}: ${problem} ${text.slice(0, 120)}`);
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failures).toEqual([]);
    expect(upstream.requests.filter((r) => r.method === 'POST').length).toBe(forwardedBefore);
  }, 120_000);

  it('still serves the valid body of every door', async () => {
    for (const door of new Map(corpus.map((entry) => [entry.door.path, entry.door])).values()) {
      const response = await fetch(`${harness.origin}${door.path}`, {
        method: 'POST',
        headers: clientHeaders(harness.token),
        body: JSON.stringify(door.valid),
      });
      expect(response.status, `${door.path}: ${await response.text()}`).toBe(200);
    }
  });

  it('names the field at fault and its limit', async () => {
    const response = await fetch(`${harness.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1e308 }),
    });
    const body = (await response.json()) as { error: { message: string; param: string } };
    expect(response.status).toBe(400);
    expect(body.error.param).toBe('max_tokens');
    expect(body.error.message).toMatch(/max_tokens/);
    const nestedResponse = await fetch(`${harness.origin}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"model":"m","x":${'['.repeat(300)}${']'.repeat(300)}}` });
    expect(nestedResponse.status).toBe(400);
    expect(((await nestedResponse.json()) as { error: string }).error).toMatch(/nested/);
  });
});

describe('bodies over the size limit', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startGateway({ settings: { bodyLimitBytes: 1024 * 1024 } });
  });
  afterAll(async () => harness.close());

  /** A client that writes the whole request before it reads anything (as many HTTP libraries do). */
  function writeAllThenRead(body: Buffer, chunked: boolean): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(harness.port, '127.0.0.1');
      const head = chunked
        ? `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${harness.port}\r\ncontent-type: application/json\r\nauthorization: Bearer ${harness.token}\r\ntransfer-encoding: chunked\r\n\r\n`
        : `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${harness.port}\r\ncontent-type: application/json\r\nauthorization: Bearer ${harness.token}\r\ncontent-length: ${body.length}\r\n\r\n`;
      let answer = '';
      socket.pause();
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
      socket.write(head);
      const payload = chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
      socket.write(payload, () => {
        socket.on('data', (chunk: Buffer) => {
          answer += chunk.toString('latin1');
          if (/\r\n\r\n/.test(answer) && answer.includes('}}')) {
            socket.destroy();
            resolve(answer.split('\r\n', 1)[0]!);
          }
        });
        socket.on('end', () => resolve(answer.split('\r\n', 1)[0] || 'closed without an answer'));
        socket.resume();
      });
    });
  }

  it('always answers 413 (never a reset) to a client that sends everything first, 24 times in a row', async () => {
    const body = Buffer.alloc(16 * 1024 * 1024, 0x61);
    const results: string[] = [];
    for (let i = 0; i < 24; i++) results.push(await writeAllThenRead(body, i % 4 === 3));
    expect(results).toEqual(Array(24).fill('HTTP/1.1 413 Payload Too Large'));
  }, 120_000);
});

describe('jsonNestsDeeperThan', () => {
  it.each([
    ['{"a":[1,2,{"b":3}]}', 3, false],
    ['{"a":[1,2,{"b":3}]}', 2, true],
    [`{"text":"${'['.repeat(500)}"}`, 2, false],
    [`{"text":"quote \\" then ${'{'.repeat(500)}"}`, 2, false],
    [`{"text":"ends in a backslash \\\\","x":${'['.repeat(5)}${']'.repeat(5)}}`, 5, true],
    [`${'['.repeat(129)}${']'.repeat(129)}`, 128, true],
    [`${'['.repeat(128)}${']'.repeat(128)}`, 128, false],
    ['"unterminated', 1, false],
  ])('%s with limit %i → %s', (text, limit, expected) => {
    expect(jsonNestsDeeperThan(text, limit)).toBe(expected);
  });
});

/**
 * With body capture on, a Bedrock streaming answer (AWS's binary event stream) is kept in the
 * history detail as a readable transcript of its events — `event: <type>` and the JSON payload,
 * base64 `bytes` decoded — not as mangled text; redaction applies to the decoded payloads, the
 * upstream headers stay redacted as before, and a damaged frame is shown as what it is. Through
 * a real gateway, the OpenAI SDK as client, a fake Bedrock that checks SigV4 and speaks the
 * event stream (frames made with AWS's codec), read back through the control API.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryDetail } from '../../src-proxy/control/contract.ts';
import { eventFrame, scriptFrames, startFakeBedrock, type FakeBedrock } from '../fixtures/fake-bedrock-upstream.ts';
import { startGateway, type Harness } from '../fixtures/gateway-harness.ts';

const IDENTITY = { accessKeyId: 'AKIAFAKEEXAMPLE12345', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';

describe('a Bedrock event stream in the translation view', () => {
  let fake: FakeBedrock;
  let harness: Harness;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await startFakeBedrock({ identities: [IDENTITY] });
    harness = await startGateway({
      settings: { recordBodies: true },
      providers: [{ id: 'aws', kind: 'bedrock', baseUrl: fake.origin, options: { region: 'eu-west-3' }, keys: [`${IDENTITY.accessKeyId}:${IDENTITY.secretAccessKey}`] }],
      aliases: [{ alias: 'claude', targets: [{ provider: 'aws', model: MODEL }] }],
    });
    client = new OpenAI({ baseURL: harness.baseUrl, apiKey: harness.token, maxRetries: 0 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  /** The newest request's detail, as the dashboard reads it (the control API). */
  async function latestDetail(): Promise<HistoryDetail> {
    harness.gateway.flushHistory();
    const page = await harness.gateway.control.queryHistory({ limit: 1 });
    const detail = await harness.gateway.control.getHistoryEntry({ id: page.rows[0]!.id });
    expect(detail).not.toBeNull();
    return detail!;
  }

  async function streamText(): Promise<string> {
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  }

  it('keeps the answer as its events with their JSON payloads, headers redacted as before', async () => {
    expect(await streamText()).toBe('Hello from Bedrock');
    const detail = await latestDetail();
    // The fake's default answer: its six frames, each decoded.
    expect(scriptFrames({ content: [{ text: 'Hello from Bedrock' }] })).toHaveLength(6);
    expect(detail.bodies?.upstreamResponse).toBe(
      [
        'event: messageStart\ndata: {"role":"assistant","p":"abc"}\n',
        'event: contentBlockDelta\ndata: {"contentBlockIndex":0,"delta":{"text":"Hello fro"}}\n',
        'event: contentBlockDelta\ndata: {"contentBlockIndex":0,"delta":{"text":"m Bedrock"}}\n',
        'event: contentBlockStop\ndata: {"contentBlockIndex":0}\n',
        'event: messageStop\ndata: {"stopReason":"end_turn"}\n',
        'event: metadata\ndata: {"usage":{"inputTokens":17,"outputTokens":6,"totalTokens":23},"metrics":{"latencyMs":120}}\n',
      ].join('\n'),
    );
    const upstream = detail.bodies?.upstream;
    expect(upstream?.status).toBe(200);
    expect(upstream?.responseHeaders?.['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(upstream?.requestHeaders?.authorization).toBe('[redacted]');
    expect(JSON.stringify(detail)).not.toContain(IDENTITY.secretAccessKey);
  });

  it('decodes base64 `bytes` payloads (redacting listed fields inside them) and shows a damaged frame as what it is', async () => {
    const inner = { type: 'content_block_delta', delta: { text: 'in bytes' }, api_key: 'sk-inside-bytes-1234' };
    const damaged = Buffer.from(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lost' } }));
    damaged[damaged.length - 6] ^= 0xff;
    fake.enqueue((res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      const frames = [
        eventFrame('messageStart', { role: 'assistant' }),
        eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'partial' } }),
        // InvokeModelWithResponseStream's shape: Converse ignores it, the view decodes it.
        eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(inner)).toString('base64') }),
        damaged,
      ];
      res.end(Buffer.concat(frames.map((frame) => Buffer.from(frame))));
    });
    // The client gets the text before the damaged frame, then the stream's in-band error.
    await expect(streamText()).rejects.toThrow(/damaged event-stream frame/);
    const transcript = (await latestDetail()).bodies?.upstreamResponse ?? '';
    const events = transcript.split('\n\n');
    expect(events.slice(0, 3)).toEqual([
      'event: messageStart\ndata: {"role":"assistant"}',
      'event: contentBlockDelta\ndata: {"contentBlockIndex":0,"delta":{"text":"partial"}}',
      'event: chunk\ndata: {"bytes":{"type":"content_block_delta","delta":{"text":"in bytes"},"api_key":"[redacted]"}}',
    ]);
    expect(events[3]).toMatch(new RegExp(`^: a damaged frame of ${damaged.length} bytes \\(.+\\), base64:\\ndata: [A-Za-z0-9+/=]+\\n$`));
    expect(transcript).not.toContain('sk-inside-bytes-1234');
    expect(transcript).not.toContain('\uFFFD');
  });
});

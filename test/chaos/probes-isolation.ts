/**
 * Chaos probes on clients harming each other: the key-cooldown attack (a request naming a model
 * that answers 403 must not rest the provider's keys for everyone) and cross-client access to
 * kept Responses (another client's GET, DELETE and previous_response_id get 404).
 */
import { errorAnswer, startFakeOpenAi } from '../fixtures/fake-openai-upstream.ts';
import { startGateway } from '../fixtures/gateway-harness.ts';
import type { Figure } from './figures.ts';

const MODEL_ACCESS_403 = errorAnswer(403, 'Project `proj_abc` does not have access to model `fail-403-whatever`', {}, 'model_not_found');

/** `attacks` tokenless requests naming prov/fail-403-…: each gets a 4xx and rests no key; a tool's request works after them all. */
export async function keyCooldownAttack(attacks: number): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  upstream.route = (record) => (record.path === '/v1/chat/completions' && String(record.body?.model ?? '').startsWith('fail-403') ? MODEL_ACCESS_403 : undefined);
  const harness = await startGateway({ providers: [{ id: 'prov', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-one', 'sk-two'] }] });
  const settle = async () => (harness.gateway as { whenIdle?: () => Promise<void> }).whenIdle?.();
  const keysResting = async () => (await harness.gateway.control.listProviders())[0]!.keys.filter((key) => key.cooldownUntil !== null).length;
  try {
    let held = 0;
    for (let i = 0; i < attacks; i++) {
      const response = await fetch(`${harness.origin}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: `prov/fail-403-whatever-${i % 7}`, messages: [{ role: 'user', content: 'hi' }], stream: false }),
      });
      await response.arrayBuffer();
      if (response.status >= 400 && response.status < 500 && (await keysResting()) === 0) held++;
    }
    await settle();
    const tool = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({ model: 'prov/fake-small', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await tool.arrayBuffer();
    const intact = tool.status === 200 && (await keysResting()) === 0;
    return { probe: 'key-cooldown attack', tried: attacks, held: intact ? held : 0, needed: attacks, detail: `no key rested; another tool still answered (${tool.status})` };
  } finally {
    await harness.close();
    await upstream.close();
  }
}

/** `kept` Responses of one client; another client tries GET, DELETE and previous_response_id on each. */
export async function crossClientResponses(kept: number): Promise<Figure> {
  const upstream = await startFakeOpenAi();
  const harness = await startGateway({
    providers: [{ id: 'up', kind: 'openai', baseUrl: upstream.baseUrl, keys: ['sk-up'] }],
    aliases: [{ alias: 'm', targets: [{ provider: 'up', model: 'gpt-fake' }] }],
  });
  const other = (await harness.gateway.control.createClientToken({ name: 'other-client' })).token;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${harness.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  try {
    const ids: string[] = [];
    for (let i = 0; i < kept; i++) {
      const created = await call(harness.token, 'POST', '/v1/responses', { model: 'm', input: `secret number ${i}` });
      ids.push((JSON.parse(created.text) as { id: string }).id);
    }
    let tried = 0;
    let held = 0;
    for (const id of ids) {
      for (const attempt of [
        () => call(other, 'GET', `/v1/responses/${id}`),
        () => call(other, 'POST', '/v1/responses', { model: 'm', input: 'what number?', previous_response_id: id }),
        () => call(other, 'DELETE', `/v1/responses/${id}`),
      ]) {
        tried++;
        if ((await attempt()).status === 404) held++;
      }
    }
    // The owner still has every one (the foreign DELETEs removed nothing).
    let ownerKept = 0;
    for (const id of ids) if ((await call(harness.token, 'GET', `/v1/responses/${id}`)).status === 200) ownerKept++;
    return { probe: 'cross-client Responses', tried, held: ownerKept === ids.length ? held : 0, needed: tried, detail: `${kept} kept responses; GET, DELETE, previous_response_id → 404; owner kept ${ownerKept}` };
  } finally {
    await harness.close();
    await upstream.close();
  }
}

// @vitest-environment node
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { launchProxy, type LaunchProxyDeps } from '../../src-main/proxy/launch-proxy.ts';
import { choosePort } from '../../src-main/proxy/port-choice.ts';
import { createOllamaProbe, isPortFree } from '../../src-main/proxy/port-probe.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../src-proxy/control/contract.ts';
import { statusOf } from './fake-gateway.ts';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Occupies a random free port on 127.0.0.1 with a plain TCP listener (or an HTTP server). */
async function occupy(server: net.Server = net.createServer((socket) => socket.destroy())): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function fakeOllama(version = '0.6.2'): http.Server {
  return http.createServer((request, response) => {
    if (request.url === '/api/version') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ version }));
    } else response.writeHead(404).end();
  });
}

const identify = createOllamaProbe({ timeoutMs: 1000 });

describe('port probes', () => {
  it('tells a busy port from a free one', async () => {
    expect(await isPortFree(await occupy())).toBe(false);
    expect(await isPortFree(await freePort())).toBe(true);
  });

  it('recognises a real Ollama by GET /api/version, and nothing else', async () => {
    expect(await identify(await occupy(fakeOllama('0.9.0')))).toEqual({ kind: 'ollama', version: '0.9.0' });
    expect(await identify(await occupy())).toEqual({ kind: 'unknown' });
    expect(await identify(await occupy(http.createServer((_q, r) => r.end('{"hello":1}'))))).toEqual({ kind: 'unknown' });
  });
});

describe('first-run port choice', () => {
  it('takes the first choice when it is free', async () => {
    const [first, fallback] = [await freePort(), await freePort()];
    const choice = await choosePort({ firstRun: true, configuredPort: 11434, preferredPorts: [first, fallback], isFree: (p) => isPortFree(p), identify });
    expect(choice).toEqual({ port: first, save: true, notice: null, detectedOllama: null });
  });

  it('moves to the fallback when a program holds the first choice, and says why', async () => {
    const [busy, fallback] = [await occupy(), await freePort()];
    const choice = await choosePort({ firstRun: true, configuredPort: 11434, preferredPorts: [busy, fallback], isFree: (p) => isPortFree(p), identify });
    expect(choice.port).toBe(fallback);
    expect(choice.save).toBe(true);
    expect(choice.notice?.reason).toBe(`Another program already uses port ${busy}, so Switchboard listens on ${fallback}. Point your tools at port ${fallback}.`);
  });

  it('names a real Ollama on the first choice and offers it as a provider', async () => {
    const [busy, fallback] = [await occupy(fakeOllama('0.6.2')), await freePort()];
    const choice = await choosePort({ firstRun: true, configuredPort: 11434, preferredPorts: [busy, fallback], isFree: (p) => isPortFree(p), identify });
    expect(choice.notice?.reason).toMatch(new RegExp(`^Ollama 0\\.6\\.2 already uses port ${busy}`));
    expect(choice.detectedOllama).toEqual({ port: busy, version: '0.6.2' });
  });

  it('never hops on a later run, even when the saved port is busy', async () => {
    const [busy, fallback] = [await occupy(), await freePort()];
    const choice = await choosePort({ firstRun: false, configuredPort: busy, preferredPorts: [busy, fallback], isFree: (p) => isPortFree(p), identify });
    expect(choice).toEqual({ port: busy, save: false, notice: null, detectedOllama: null });
  });
});

describe('launching the proxy', () => {
  function deps(overrides: Partial<LaunchProxyDeps> & { settings?: Partial<Settings> }) {
    let settings: Settings = { ...DEFAULT_SETTINGS, ...overrides.settings };
    let chosen = false;
    const base: LaunchProxyDeps = {
      getSettings: () => settings,
      saveSettings: (patch) => void (settings = { ...settings, ...patch }),
      listProviders: () => [],
      portChosen: () => chosen,
      markPortChosen: () => void (chosen = true),
      start: async () => statusOf('running', { port: settings.port }),
      isFree: (p) => isPortFree(p),
      identify,
      preferredPorts: [11434, 11435],
    };
    return { deps: { ...base, ...overrides }, settings: () => settings, chosen: () => chosen };
  }

  it('saves the first-run choice so the next run uses the same port', async () => {
    const [busy, fallback] = [await occupy(), await freePort()];
    const run = deps({ preferredPorts: [busy, fallback] });
    const outcome = await launchProxy(run.deps);
    expect(run.settings().port).toBe(fallback);
    expect(run.chosen()).toBe(true);
    expect(outcome.notice?.to).toBe(fallback);
    expect(outcome.needsWindow).toBe(true);
  });

  it('a busy saved port is an error state naming the occupant, with the Ollama offer', async () => {
    const busy = await occupy(fakeOllama('0.5.0'));
    const run = deps({
      preferredPorts: [busy, await freePort()],
      settings: { port: busy, onboardingComplete: true, startProxyOnLaunch: true },
      portChosen: () => true,
      start: async () => statusOf('error', { port: busy, error: { code: 'port_in_use', message: 'busy' } }),
    });
    const outcome = await launchProxy(run.deps);
    expect(outcome.portConflict).toEqual({ port: busy, occupant: 'ollama', ollamaVersion: '0.5.0' });
    expect(outcome.detectedOllama).toEqual({ baseUrl: `http://127.0.0.1:${busy}`, version: '0.5.0' });
    expect(outcome.needsWindow).toBe(true);
    expect(run.settings().port).toBe(busy);
  });

  it('does not offer an Ollama that is already a provider, and respects start-on-launch off', async () => {
    const ollama = await occupy(fakeOllama());
    let started = false;
    const run = deps({
      preferredPorts: [ollama, await freePort()],
      settings: { port: 40000, onboardingComplete: true, startProxyOnLaunch: false },
      portChosen: () => true,
      listProviders: () => [{ kind: 'ollama', baseUrl: `http://localhost:${ollama}` }],
      start: async () => {
        started = true;
        return statusOf('running');
      },
    });
    const outcome = await launchProxy(run.deps);
    expect(started).toBe(false);
    expect(outcome.detectedOllama).toBeNull();
    expect(outcome.needsWindow).toBe(false);
  });
});

/**
 * Who answers on a loopback port: another Switchboard (its /health says `"service":
 * "switchboard"`), a real Ollama (GET /api/version → {"version": "…"}, and no Switchboard
 * health), or something else. Switchboard is asked first because it also answers /api/version,
 * the way Ollama does — advice to "add that Ollama as a provider" would point Switchboard at
 * itself. Best effort, short timeouts, never throws. Used by `serve` when the port is busy, by
 * `doctor`, and by the desktop shell's port choice.
 */
import net from 'node:net';

export type PortOccupant = { kind: 'switchboard'; version: string } | { kind: 'ollama'; version: string } | { kind: 'unknown' };

export interface ProbeOptions {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** What answers at `base` (http://host:port). */
export async function identifyPortOccupant(base: string, options: ProbeOptions = {}): Promise<PortOccupant> {
  const health = await getJson(`${base}/health`, options);
  if (health && health.service === 'switchboard' && health.status === 'ok') {
    return { kind: 'switchboard', version: shortString(health.version) ?? 'unknown' };
  }
  const version = shortString((await getJson(`${base}/api/version`, options))?.version);
  return version ? { kind: 'ollama', version } : { kind: 'unknown' };
}

/** The same probe, named for callers that only care whether it is an Ollama. */
export const probeOllama = identifyPortOccupant;

async function getJson(url: string, options: ProbeOptions): Promise<Record<string, unknown> | null> {
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 1500), redirect: 'manual' });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const body: unknown = await response.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    // Not HTTP, not JSON, refused or too slow: whatever it is, it does not identify itself.
    return null;
  }
}

function shortString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length < 64 ? value : null;
}

/** The hint `serve` prints under "port in use". */
export async function describePortOccupant(host: string, port: number, options: ProbeOptions = {}): Promise<string> {
  const base = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  const occupant = await identifyPortOccupant(base, options);
  if (occupant.kind === 'switchboard') {
    return `Another Switchboard (${occupant.version}) is already running on port ${port}: use that one (its terminal printed the dashboard address), stop it first, or give this one another port with --port.`;
  }
  if (occupant.kind === 'ollama') {
    return `A real Ollama ${occupant.version} is running on port ${port}. Give Switchboard another port (e.g. --port ${port + 1}), or move Ollama (OLLAMA_HOST=127.0.0.1:11435) and add it as a provider: { "id": "ollama", "kind": "ollama", "baseUrl": "http://127.0.0.1:11435" }.`;
  }
  return `Find the program with: lsof -i :${port} (macOS/Linux) or netstat -ano | findstr :${port} (Windows).`;
}

/** Whether a loopback port can be bound right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

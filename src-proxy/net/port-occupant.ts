/**
 * Who holds a busy port: a real Ollama answers GET /api/version with {"version": "…"}, another
 * Switchboard answers /health. Best effort, short timeouts, never throws. The headless CLI says
 * so in its error; the desktop shell offers to add that Ollama as a provider.
 */
export type PortOccupant = { kind: 'ollama'; version: string } | { kind: 'unknown' };

export interface ProbeOptions {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** Whether the server at `base` (http://host:port) is an Ollama, and which version. */
export async function probeOllama(base: string, options: ProbeOptions = {}): Promise<PortOccupant> {
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(`${base}/api/version`, { signal: AbortSignal.timeout(options.timeoutMs ?? 1500), redirect: 'manual' });
    if (!response.ok) return { kind: 'unknown' };
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'version' in body && typeof body.version === 'string' && body.version.length < 64) {
      return { kind: 'ollama', version: body.version };
    }
    return { kind: 'unknown' };
  } catch {
    // Not HTTP, not JSON, or too slow: whatever it is, it is not an Ollama we can offer.
    return { kind: 'unknown' };
  }
}

async function isSwitchboard(base: string): Promise<boolean> {
  try {
    const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1500), redirect: 'manual' });
    return response.ok && /"status":"ok"/.test(await response.text());
  } catch {
    return false;
  }
}

export async function describePortOccupant(host: string, port: number): Promise<string> {
  const base = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  const occupant = await probeOllama(base);
  if (occupant.kind === 'ollama') {
    return `A real Ollama ${occupant.version} is running on port ${port}. Give Switchboard another port (e.g. --port ${port + 1}) and add that Ollama as a provider: { "id": "ollama", "kind": "ollama", "baseUrl": "${base}" }.`;
  }
  if (await isSwitchboard(base)) return `Another Switchboard seems to be running on port ${port}. Stop it first, or use another port.`;
  return `Find the program with: lsof -i :${port} (macOS/Linux) or netstat -ano | findstr :${port} (Windows).`;
}

/**
 * The two questions port choice asks the machine: is a loopback port free, and is the program
 * on it a real Ollama (it answers GET /api/version with {"version": "…"}).
 */
import net from 'node:net';
import type { PortOccupant } from './port-choice.ts';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface OllamaProbeDeps {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  host?: string;
}

export function createOllamaProbe(deps: OllamaProbeDeps = {}): (port: number) => Promise<PortOccupant> {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const host = deps.host ?? '127.0.0.1';
  return async (port) => {
    try {
      const response = await doFetch(`http://${host}:${port}/api/version`, {
        signal: AbortSignal.timeout(deps.timeoutMs ?? 1500),
        redirect: 'manual',
      });
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
  };
}

/**
 * The two questions port choice asks the machine: is a loopback port free, and is the program
 * on it a real Ollama (it answers GET /api/version with {"version": "…"}).
 */
import net from 'node:net';
import { probeOllama, type ProbeOptions } from '../../src-proxy/net/port-occupant.ts';
import type { PortOccupant } from './port-choice.ts';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface OllamaProbeDeps extends ProbeOptions {
  host?: string;
}

/** The engine's probe (src-proxy/net/port-occupant.ts), bound to a loopback host. */
export function createOllamaProbe(deps: OllamaProbeDeps = {}): (port: number) => Promise<PortOccupant> {
  const host = deps.host ?? '127.0.0.1';
  return (port) => probeOllama(`http://${host}:${port}`, deps);
}

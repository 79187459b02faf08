/**
 * The two questions port choice asks the machine: is a loopback port free, and is the program
 * on it a real Ollama (it answers GET /api/version with {"version": "…"}).
 */
import { probeOllama, type ProbeOptions } from '../../src-proxy/net/port-occupant.ts';
import type { PortOccupant } from './port-choice.ts';

export { isPortFree } from '../../src-proxy/net/port-occupant.ts';

export interface OllamaProbeDeps extends ProbeOptions {
  host?: string;
}

/** The engine's probe (src-proxy/net/port-occupant.ts), bound to a loopback host. */
export function createOllamaProbe(deps: OllamaProbeDeps = {}): (port: number) => Promise<PortOccupant> {
  const host = deps.host ?? '127.0.0.1';
  return (port) => probeOllama(`http://${host}:${port}`, deps);
}

/**
 * Which port the proxy listens on. The first run takes 11434 (what Ollama clients expect) when
 * it is free, else 11435, and the window says why. Every later run uses the saved port and never
 * hops: IDE configs pin the port, and a squatter on it would receive their requests, so a
 * busy port is an error the user resolves.
 */
import type { PortConflict, PortNotice } from '../ipc/desktop-contract.ts';

export type { PortOccupant } from '../../src-proxy/net/port-occupant.ts';
import type { PortOccupant } from '../../src-proxy/net/port-occupant.ts';

export interface PortChoiceInput {
  firstRun: boolean;
  configuredPort: number;
  /** [first choice, fallback]: 11434 and 11435 in the app, free random ports in tests. */
  preferredPorts: readonly [number, number];
  isFree(port: number): Promise<boolean>;
  identify(port: number): Promise<PortOccupant>;
}

export interface PortChoice {
  port: number;
  /** Save the port to settings (first run only). */
  save: boolean;
  notice: PortNotice | null;
  detectedOllama: { port: number; version: string } | null;
}

export async function choosePort(input: PortChoiceInput): Promise<PortChoice> {
  const [first, fallback] = input.preferredPorts;
  if (!input.firstRun) return { port: input.configuredPort, save: false, notice: null, detectedOllama: null };
  if (await input.isFree(first)) return { port: first, save: true, notice: null, detectedOllama: null };

  const occupant = await input.identify(first);
  const who = occupant.kind === 'ollama' ? `Ollama ${occupant.version}` : occupant.kind === 'switchboard' ? 'Another Switchboard' : 'Another program';
  return {
    port: fallback,
    save: true,
    notice: {
      kind: 'port-changed',
      from: first,
      to: fallback,
      reason: `${who} already uses port ${first}, so Switchboard listens on ${fallback}. Point your tools at port ${fallback}.`,
    },
    detectedOllama: occupant.kind === 'ollama' ? { port: first, version: occupant.version } : null,
  };
}

/** After a port_in_use failure: who holds the port, so the window can say more than "busy". */
export async function describeConflict(port: number, identify: (port: number) => Promise<PortOccupant>): Promise<PortConflict> {
  const occupant = await identify(port);
  return {
    port,
    occupant: occupant.kind,
    ollamaVersion: occupant.kind === 'ollama' ? occupant.version : null,
  };
}

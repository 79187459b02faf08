/**
 * Operations only the desktop shell answers (they are not part of the engine's ControlApi):
 * what the shell knows about the machine (secret storage, port conflicts, a detected Ollama),
 * the basic_text opt-in, and opening links or the logs folder. Same shape as CONTROL_OPERATIONS.
 */
import { z } from 'zod';

export interface SecretStorageState {
  /** safeStorage backend on Linux ("gnome_libsecret", "basic_text", …); the OS name elsewhere. */
  backend: string;
  /** Keys can be stored now. */
  available: boolean;
  /** Linux without a keyring: "encrypted" with a hardcoded password, so the user must opt in. */
  insecure: boolean;
  optedIn: boolean;
}

export interface PortNotice {
  kind: 'port-changed';
  from: number;
  to: number;
  /** Sentence for the window, e.g. "Ollama 0.6.2 already uses port 11434." */
  reason: string;
}

export interface PortConflict {
  port: number;
  occupant: 'switchboard' | 'ollama' | 'unknown';
  ollamaVersion: string | null;
}

export interface ShellState {
  platform: string;
  notice: PortNotice | null;
  portConflict: PortConflict | null;
  /** A real Ollama answering on a loopback port: the UI offers to add it as a provider. */
  detectedOllama: { baseUrl: string; version: string } | null;
  secretStorage: SecretStorageState;
  logsDir: string;
}

const none = z.object({}).strict().optional();

function op<Res>() {
  return <Req extends z.ZodType>(request: Req) => ({ request, response: undefined as unknown as Res });
}

export const DESKTOP_OPERATIONS = {
  getShellState: op<ShellState>()(none),
  setInsecureStorageOptIn: op<ShellState>()(z.object({ optIn: z.boolean() }).strict()),
  openExternal: op<void>()(z.object({ url: z.string().min(1).max(2048) }).strict()),
  openLogsFolder: op<void>()(none),
  dismissNotice: op<ShellState>()(none),
  /** A call to the gateway's own client routes made by main for the file:// window (gateway-relay.ts). */
  gatewayRequest: op<{ status: number; contentType: string | null; body: string }>()(
    z
      .object({
        method: z.enum(['GET', 'POST', 'HEAD']),
        path: z.string().min(1).max(500),
        headers: z.record(z.string(), z.string().max(10_000)).optional(),
        body: z.string().max(1024 * 1024).optional(),
      })
      .strict(),
  ),
} as const;

export type DesktopOperationName = keyof typeof DESKTOP_OPERATIONS;
export type DesktopRequest<K extends DesktopOperationName> = z.input<(typeof DESKTOP_OPERATIONS)[K]['request']>;
export type DesktopResponse<K extends DesktopOperationName> = (typeof DESKTOP_OPERATIONS)[K]['response'];

export type DesktopApi = {
  [K in DesktopOperationName]: (request: DesktopRequest<K>) => Promise<DesktopResponse<K>>;
};

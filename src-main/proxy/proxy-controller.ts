/**
 * The proxy as the tray, the window and the notifications see it: start, stop, status and a
 * typed event stream. Electron-free on purpose, so the engine can later move to a utility
 * process behind the same interface without touching the tray or IPC.
 */
import type { BudgetAlert, HistoryRow, ProxyStatus } from '../../src-proxy/control/contract.ts';
import { connectivityLine } from '../../src-proxy/control/contract.ts';
import { isErrorCode, toGatewayError, type ErrorCode } from '../../src-proxy/errors/codes.ts';
import type { Gateway } from '../../src-proxy/gateway-types.ts';

export type ProxyControllerEvent =
  | { type: 'starting'; status: ProxyStatus }
  | { type: 'running'; status: ProxyStatus }
  | { type: 'stopped'; status: ProxyStatus }
  | { type: 'error'; code: ErrorCode; message: string; status: ProxyStatus }
  | { type: 'requests'; rows: HistoryRow[] }
  | { type: 'budget'; alert: BudgetAlert };

export type ShutdownOutcome = 'clean' | 'deadline';

export interface ProxyController {
  start(): Promise<ProxyStatus>;
  stop(): Promise<ProxyStatus>;
  status(): ProxyStatus;
  subscribe(listener: (event: ProxyControllerEvent) => void): () => void;
  /**
   * Quit: stop with the drain deadline, flush history, close the database. Resolves by
   * `drainTimeoutMs + graceMs` at the latest, so a stuck close can never hang the app's exit.
   */
  shutdown(options: { drainTimeoutMs: number; graceMs: number }): Promise<ShutdownOutcome>;
}

export interface ProxyControllerDeps {
  gateway: Pick<Gateway, 'start' | 'stop' | 'status' | 'close' | 'events'>;
  setTimer?: (run: () => void, ms: number) => { unref?: () => void };
  /** Told when closing the engine fails; the app still exits. */
  onCloseError?: (error: unknown) => void;
}

export function createProxyController(deps: ProxyControllerDeps): ProxyController {
  const { gateway } = deps;
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const listeners = new Set<(event: ProxyControllerEvent) => void>();
  let lastError: { code: ErrorCode; message: string } | null = null;
  let lastState: string | null = null;

  const emit = (event: ProxyControllerEvent) => listeners.forEach((listener) => listener(event));

  /**
   * Turns a status into its event once per state change (the gateway and we may both report it);
   * a running proxy going offline (or back) is a change too: the tray says so.
   */
  const report = (status: ProxyStatus) => {
    const key = status.state === 'error' ? `error:${status.error?.code}` : `${status.state}:${connectivityLine(status.routing) ?? ''}`;
    if (key === lastState) return;
    lastState = key;
    if (status.state === 'starting') emit({ type: 'starting', status });
    else if (status.state === 'running') emit({ type: 'running', status });
    else if (status.state === 'stopped') emit({ type: 'stopped', status });
    else if (status.state === 'error') {
      const code = status.error && isErrorCode(status.error.code) ? status.error.code : 'internal_error';
      emit({ type: 'error', code, message: status.error?.message ?? 'The proxy failed.', status });
    }
  };

  const current = (): ProxyStatus => {
    const status = gateway.status();
    // The gateway may report "stopped" after a failed listen; the failure is what the user needs.
    if (lastError && status.state !== 'running' && status.state !== 'starting') {
      return { ...status, state: 'error', error: lastError };
    }
    return status;
  };

  gateway.events.subscribe((event) => {
    if (event.type === 'status') {
      if (event.status.state === 'running') lastError = null;
      report(lastError ? current() : event.status);
    } else if (event.type === 'budget') emit({ type: 'budget', alert: event.alert });
    else if (event.type === 'history' && event.rows.length > 0) emit({ type: 'requests', rows: event.rows });
  });

  return {
    async start() {
      lastError = null;
      report({ ...gateway.status(), state: 'starting', error: null });
      try {
        const status = await gateway.start();
        report(status);
        return status;
      } catch (error) {
        const failure = toGatewayError(error);
        lastError = { code: failure.code, message: failure.message };
        const status = current();
        report(status);
        return status;
      }
    },
    async stop() {
      lastError = null;
      const status = await gateway.stop();
      report(status);
      return status;
    },
    status: current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async shutdown({ drainTimeoutMs, graceMs }) {
      const closed = gateway.close({ drainTimeoutMs }).then(
        () => 'clean' as const,
        (error: unknown) => {
          deps.onCloseError?.(error);
          return 'clean' as const;
        },
      );
      const deadline = new Promise<ShutdownOutcome>((resolve) => {
        setTimer(() => resolve('deadline'), drainTimeoutMs + graceMs).unref?.();
      });
      return Promise.race([closed, deadline]);
    },
  };
}

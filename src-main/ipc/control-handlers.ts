/**
 * The IPC transport of the control API. For every operation: check the sender frame, validate
 * the payload with the contract's schema, call the core, and answer with a result envelope.
 * Nothing here knows what an operation does; policy lives in desktop-control.ts.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { z } from 'zod';
import { CONTROL_OPERATIONS, type ControlApi, type ControlOperationName } from '../../src-proxy/control/contract.ts';
import { GatewayError, ERROR_CODES, issuesOf } from '../../src-proxy/errors/codes.ts';
import { CONTROL_CHANNELS, DESKTOP_CHANNELS, type BridgeResult } from './channels.ts';
import { DESKTOP_OPERATIONS, type DesktopApi, type DesktopOperationName } from './desktop-contract.ts';
import type { SenderFrame } from './sender-check.ts';

export interface ControlHandlerDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  control: ControlApi;
  desktop: DesktopApi;
  isTrustedSender(frame: SenderFrame | null): boolean;
  logger: Pick<Logger, 'warn' | 'error'>;
}

type Operation = (request: unknown) => Promise<unknown>;

/** Registers every handler; returns a function that removes them (tests, window teardown). */
export function registerControlHandlers(deps: ControlHandlerDeps): () => void {
  const channels: string[] = [];
  const register = (channel: string, name: string, schema: z.ZodType, run: Operation) => {
    channels.push(channel);
    deps.ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => handle(deps, event, name, schema, run, payload));
  };
  for (const name of Object.keys(CONTROL_OPERATIONS) as ControlOperationName[]) {
    const run = deps.control[name] as Operation;
    register(CONTROL_CHANNELS[name], name, CONTROL_OPERATIONS[name].request, (request) => run.call(deps.control, request));
  }
  for (const name of Object.keys(DESKTOP_OPERATIONS) as DesktopOperationName[]) {
    const run = deps.desktop[name] as Operation;
    register(DESKTOP_CHANNELS[name], name, DESKTOP_OPERATIONS[name].request, (request) => run.call(deps.desktop, request));
  }
  return () => channels.forEach((channel) => deps.ipcMain.removeHandler(channel));
}

async function handle(
  deps: ControlHandlerDeps,
  event: IpcMainInvokeEvent,
  name: string,
  schema: z.ZodType,
  run: Operation,
  payload: unknown,
): Promise<BridgeResult<unknown>> {
  if (!deps.isTrustedSender(event.senderFrame)) {
    // Log the frame URL (never the payload: it may carry a key).
    deps.logger.warn({ operation: name, frame: event.senderFrame?.url ?? null }, 'IPC call from an untrusted frame refused');
    return failure('forbidden_origin', 'Only the Switchboard window may call this.');
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return invalid(parsed.error);
  try {
    return { ok: true, value: await run(parsed.data) };
  } catch (error) {
    return toFailure(deps, name, error);
  }
}

function invalid(error: ZodError): BridgeResult<never> {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  const detail = first ? `${first.path || 'request'}: ${first.message}` : 'invalid request';
  return { ok: false, error: { code: 'invalid_request', message: `${detail}. ${ERROR_CODES.invalid_request.message}`, issues } };
}

function toFailure(deps: ControlHandlerDeps, name: string, error: unknown): BridgeResult<never> {
  if (error instanceof GatewayError) {
    const issues = issuesOf(error);
    return { ok: false, error: { code: error.code, message: error.message, ...(issues ? { issues } : {}) } };
  }
  if (error instanceof ZodError) return invalid(error);
  // Unexpected: the full error goes to the log, the window gets the generic message.
  deps.logger.error({ operation: name, err: error }, 'control operation failed');
  return failure('internal_error', ERROR_CODES.internal_error.message);
}

function failure(code: string, message: string): BridgeResult<never> {
  return { ok: false, error: { code, message } };
}

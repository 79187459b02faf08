import { ERROR_CODES, isErrorCode } from '../../src-proxy/errors/codes.ts';

/** An error as the core reports it: a code from errors/codes.ts and a message a user can act on. */
export class ControlError extends Error {
  readonly code: string;
  /** Zod issue paths for invalid_request answers, when the transport sent them. */
  readonly issues: Array<{ path: string; message: string }>;

  constructor(code: string, message: string, issues: Array<{ path: string; message: string }> = []) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.issues = issues;
  }
}

const CODE_IN_TEXT = /\b([a-z]+(?:_[a-z]+)+)\b/;

/**
 * Normalises anything a transport can reject with. Electron's ipcRenderer.invoke wraps errors
 * as "Error invoking remote method 'op': Error: <message>", losing properties, so a known code
 * found in the text is recovered.
 */
export function toControlError(error: unknown): ControlError {
  if (error instanceof ControlError) return error;
  if (typeof error === 'object' && error !== null) {
    const record = error as { code?: unknown; message?: unknown };
    const message = typeof record.message === 'string' ? record.message : String(error);
    if (typeof record.code === 'string' && isErrorCode(record.code)) return new ControlError(record.code, message);
    const found = CODE_IN_TEXT.exec(message)?.[1];
    if (found && isErrorCode(found)) return new ControlError(found, message.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, ''));
    return new ControlError('internal_error', message || ERROR_CODES.internal_error.message);
  }
  return new ControlError('internal_error', String(error));
}

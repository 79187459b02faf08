/**
 * Lets the desktop window call its own gateway (the Models page's "try it", the Connect page's
 * tool checks). The window is a file:// page: a request from it carries `Origin: null`, which the
 * gateway rightly refuses, and the CSP allows no network at all. So main makes the loopback call
 * on the window's behalf — only to the gateway's own client routes, only with the headers a tool
 * would send, and with the client token the window itself supplies (main adds no credential), so
 * the window gains nothing a browser dashboard does not already have.
 */
import { GatewayError } from '../src-proxy/errors/codes.ts';

export interface RelayRequest {
  method: 'GET' | 'POST' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RelayResponse {
  status: number;
  contentType: string | null;
  body: string;
}

export type LoopbackRequest = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<RelayResponse>;

const RELAYABLE_PATH = /^\/(?:$|health$|api\/[a-z]+$|v1\/(?:models(?:\/[^?#]*)?|chat\/completions|completions|embeddings|messages(?:\/count_tokens)?|responses))(?:\?[^#]*)?$/;
const RELAYABLE_HEADERS = new Set(['authorization', 'x-api-key', 'anthropic-version', 'content-type', 'accept']);
const MAX_BODY = 1024 * 1024;

/** Whether a path is one of the gateway's client routes (never the control API or the dashboard). Pure. */
export function isRelayablePath(path: string): boolean {
  return path.length <= 500 && !path.includes('..') && RELAYABLE_PATH.test(path);
}

export function createGatewayRelay(deps: { port: () => number | null; request: LoopbackRequest }) {
  return async function relay(request: RelayRequest): Promise<RelayResponse> {
    if (!isRelayablePath(request.path)) throw new GatewayError('invalid_request', `"${request.path}" is not a gateway route the window may call`);
    if (request.body !== undefined && request.body.length > MAX_BODY) throw new GatewayError('body_too_large');
    const port = deps.port();
    if (port === null) throw new GatewayError('proxy_stopped');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (RELAYABLE_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
    return deps.request(`http://127.0.0.1:${port}${request.path}`, { method: request.method, headers, body: request.body });
  };
}

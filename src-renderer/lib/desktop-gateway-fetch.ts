import { ControlError } from '../api';
import type { SwitchboardBridge } from '../api/types';

/**
 * A fetch for the desktop window's calls to its own gateway ("try it", tool checks). The window
 * is a file:// page the gateway refuses (Origin: null) and whose CSP allows no network, so main
 * makes the loopback call and hands back the whole answer (a stream arrives at once).
 */
export function createDesktopGatewayFetch(bridge: SwitchboardBridge): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const result = (await bridge.invoke('gatewayRequest', {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: `${url.pathname}${url.search}`,
      headers,
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    })) as { ok: boolean; value?: { status: number; contentType: string | null; body: string }; error?: { code: string; message: string } };
    if (!result.ok || !result.value) throw new ControlError(result.error?.code ?? 'internal_error', result.error?.message ?? 'The desktop app could not reach its gateway.');
    const { status, contentType, body } = result.value;
    return new Response(status === 204 || status === 304 ? null : body, { status, headers: contentType ? { 'content-type': contentType } : {} });
  };
}

/** The fetch to use for gateway calls from this page: the window's relay in the desktop app. */
export function gatewayFetch(): typeof fetch | undefined {
  return window.switchboard ? createDesktopGatewayFetch(window.switchboard) : undefined;
}

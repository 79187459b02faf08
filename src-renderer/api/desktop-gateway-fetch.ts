import type { DesktopShell } from './types';

/**
 * A fetch for the desktop window's calls to its own gateway ("try it", tool checks). The window
 * is a file:// page the gateway refuses (Origin: null) and whose CSP allows no network, so main
 * makes the loopback call and hands back the whole answer (a stream arrives at once).
 */
export function createDesktopGatewayFetch(desktop: DesktopShell): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') throw new TypeError(`The desktop relay does not send ${method}`);
    const { status, contentType, body } = await desktop.invoke('gatewayRequest', {
      method,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    });
    return new Response(status === 204 || status === 304 ? null : body, { status, headers: contentType ? { 'content-type': contentType } : {} });
  };
}

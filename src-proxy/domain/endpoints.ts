/**
 * The base URLs a user gives their tools: one per front door that has its own, declared by the
 * door (dialects/<name>/index.ts) and listed by the front-door registry. The status carries the
 * list; the tray, the serve banner and the dashboard turn it into URLs with endpointUrl.
 */
export interface GatewayEndpoint {
  /** e.g. "OpenAI", "Anthropic". */
  label: string;
  /** Path under the gateway's origin: '' or '/v1'. */
  path: string;
}

/** `http://127.0.0.1:11434` + `/v1`. */
export function endpointUrl(baseUrl: string, endpoint: GatewayEndpoint): string {
  return `${baseUrl.replace(/\/+$/, '')}${endpoint.path}`;
}

/** The origin of a loopback host and port (`[::1]` bracketed). */
export function gatewayOrigin(host: string, port: number, scheme: 'http' | 'https' = 'http'): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

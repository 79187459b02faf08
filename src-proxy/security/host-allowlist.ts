/**
 * DNS-rebinding defence: every request must name this server by a loopback name and its own
 * port. Exactly `127.0.0.1:P`, `localhost:P` or `[::1]:P` (case-insensitive). A missing Host
 * (HTTP/1.0), `0.0.0.0`, other names and non-canonical IP spellings (`127.1`, `0177.0.0.1`,
 * `2130706433`) are refused: browsers always send canonical forms, so refusing the rest costs
 * nothing. Pure and table-tested.
 */
const MAX_HOST_LENGTH = 300;

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (typeof host !== 'string' || host.length === 0 || host.length > MAX_HOST_LENGTH) return false;
  return allowed.has(host.toLowerCase());
}

/**
 * Team mode: a Host naming one of `settings.publicHosts`, with or without a port (behind a load
 * balancer the port clients use is not the instance's own). Names compare case-insensitively;
 * `[::1]:8080` keeps its brackets.
 */
export function isPublicHost(host: string | undefined, names: ReadonlySet<string>): boolean {
  if (names.size === 0 || typeof host !== 'string' || host.length === 0 || host.length > MAX_HOST_LENGTH) return false;
  const lower = host.toLowerCase();
  const portAt = lower.lastIndexOf(':');
  const name = portAt > lower.lastIndexOf(']') && /^:\d{1,5}$/.test(lower.slice(portAt)) ? lower.slice(0, portAt) : lower;
  return names.has(name);
}

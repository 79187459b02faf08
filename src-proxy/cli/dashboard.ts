/**
 * Serves the built dashboard and the control API over HTTP for headless `serve`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayOptions } from '../gateway-types.ts';

/**
 * `dist/renderer` of the checkout, from the bundled CLI (dist/proxy/cli.cjs) and from the source
 * (src-proxy/cli/) alike. It may not be built yet: the dashboard then serves a notice, and picks
 * the build up without a restart.
 */
export function findDashboardDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer');
}

export async function dashboardExtension(adminToken: () => string, staticDir: string): Promise<GatewayOptions['extendServer']> {
  const { registerControlHttp } = await import('../control/http-transport.ts');
  return (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken, staticDir });
}

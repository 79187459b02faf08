/**
 * Serves the built dashboard and the control API over HTTP for headless `serve`, when the
 * dashboard transport is part of this build.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayOptions } from '../gateway-types.ts';

/** dist/renderer next to the bundled CLI (dist/proxy/cli.js) or the source tree. */
export function findDashboardDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'renderer'), join(here, '..', '..', 'dist', 'renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export async function dashboardExtension(adminToken: string): Promise<GatewayOptions['extendServer']> {
  const { registerControlHttp } = await import('../control/http-transport.ts');
  const staticDir = findDashboardDir();
  return (app, engine) => registerControlHttp(app, { control: engine.control, events: engine.events, adminToken, staticDir });
}

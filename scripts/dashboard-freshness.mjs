// Whether dist/renderer is missing or older than what it is built from. `npm run serve` builds the
// dashboard only then, so the README's command gives a working dashboard on a fresh clone without
// paying for a Vite build at every start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the dashboard bundle is built from (the renderer imports the contract, domain and error list). */
export const DASHBOARD_INPUTS = [
  'src-renderer',
  'src-proxy/control/contract.ts',
  'src-proxy/domain',
  'src-proxy/errors',
  'src-main/ipc/channels.ts',
  'src-main/ipc/desktop-contract.ts',
  'vite.config.ts',
  'package-lock.json',
];

/** The newest modification time under these files and folders (0 when none exists). */
export function newestMtimeMs(root, entries) {
  let newest = 0;
  const visit = (full) => {
    if (!existsSync(full)) return;
    const info = statSync(full);
    if (info.isDirectory()) {
      for (const name of readdirSync(full)) visit(path.join(full, name));
    } else if (info.mtimeMs > newest) {
      newest = info.mtimeMs;
    }
  };
  for (const entry of entries) visit(path.join(root, entry));
  return newest;
}

/** null when dist/renderer is up to date, else why it must be built. */
export function dashboardBuildReason(root, inputs = DASHBOARD_INPUTS) {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return 'the dashboard is not built yet';
  return newestMtimeMs(root, inputs) > statSync(index).mtimeMs ? 'the dashboard sources changed' : null;
}

// Why Electron cannot start on this machine, in a sentence a developer can act on — or null
// when it can. The decision is pure (table-tested in test/main); electronFacts() gathers the
// facts, trying the electron package's own binary download once when the binary is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @param {{ platform: string, env: Record<string, string | undefined>, binaryPath: string | null, binaryExists: boolean, downloadError: string | null }} facts
 * @returns {string | null}
 */
export function electronUnavailableReason(facts) {
  if (facts.binaryPath === null || !facts.binaryExists) {
    const why = facts.downloadError ? `: ${facts.downloadError}` : '';
    return `the Electron binary is not installed and could not be downloaded${why}`;
  }
  if (facts.platform === 'linux' && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) {
    return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window or tray can be shown';
  }
  return null;
}

/** Where node_modules/electron says its binary is (path.txt is written by its installer). */
function locateBinary(packageDir, env) {
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
  return relative ? path.join(packageDir, 'dist', relative) : null;
}

export function electronFacts(root, env = process.env) {
  const require = createRequire(path.join(root, 'package.json'));
  const packageDir = path.dirname(require.resolve('electron/package.json'));
  let binaryPath = locateBinary(packageDir, env);
  let downloadError = null;
  if (!binaryPath || !existsSync(binaryPath)) {
    // Same installer `npm install` runs; output captured so the reason is one clear line.
    const install = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 180_000, env });
    if (install.status !== 0) {
      const lines = `${install.stderr ?? ''}\n${install.stdout ?? ''}`.split('\n').map((line) => line.trim());
      downloadError = lines.find((line) => /error|failed|ENOTFOUND|ECONN/i.test(line)) ?? `installer exited with ${install.status}`;
    }
    binaryPath = locateBinary(packageDir, env);
  }
  return {
    platform: process.platform,
    env,
    binaryPath,
    binaryExists: binaryPath !== null && existsSync(binaryPath),
    downloadError,
  };
}

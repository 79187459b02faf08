/**
 * The checks about this machine: the port, the data folder's permissions, the dashboard build,
 * and a real Ollama. Each returns one CheckResult with a fix a user can follow.
 */
import { constants, accessSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult, ProxyStatus } from '../control/contract.ts';
import { DATABASE_FILE_NAME } from '../store/database.ts';
import { SECRET_KEY_FILE_NAME } from '../store/secret-cipher.ts';
import { identifyPortOccupant, isPortFree, type ProbeOptions } from '../net/port-occupant.ts';

/** The port Ollama clients assume. */
export const OLLAMA_DEFAULT_PORT = 11434;

function base(host: string, port: number): string {
  return `http://${host === '::1' ? '[::1]' : host}:${port}`;
}

/** Listening, free for `serve`, or held by someone (and who). */
export async function checkPort(status: ProxyStatus, configuredPort: number, probe: ProbeOptions = {}): Promise<CheckResult> {
  const title = 'Port';
  if (status.port !== null && status.state !== 'error') {
    return { id: 'port', title, status: 'pass', detail: `Switchboard listens on ${base(status.host, status.port)}`, fix: null };
  }
  const port = configuredPort;
  if (await isPortFree(port, status.host)) {
    return { id: 'port', title, status: 'pass', detail: `Port ${port} is free for Switchboard`, fix: null };
  }
  const occupant = await identifyPortOccupant(base(status.host, port), probe);
  if (occupant.kind === 'switchboard') {
    return { id: 'port', title, status: 'pass', detail: `A Switchboard (${occupant.version}) is running on port ${port}`, fix: null };
  }
  const who = occupant.kind === 'ollama' ? `A real Ollama ${occupant.version}` : 'Another program';
  return {
    id: 'port',
    title,
    status: 'fail',
    detail: `${who} holds port ${port}, so Switchboard cannot start there`,
    fix: occupant.kind === 'ollama'
      ? `Give Switchboard another port (switchboard serve --port ${port + 1}), or move Ollama (OLLAMA_HOST=127.0.0.1:11435) and add it as a provider`
      : `Find it with \`lsof -i :${port}\` (Windows: \`netstat -ano | findstr :${port}\`), stop it, or use --port`,
  };
}

/** The folder, the database and the key file are the user's alone (they hold keys and prompts). */
export function checkDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): CheckResult {
  const title = 'Data folder';
  if (!existsSync(dataDir)) {
    return { id: 'data-dir', title, status: 'fail', detail: `${dataDir} does not exist`, fix: 'Run `switchboard serve` once (it creates it), or pass --data-dir' };
  }
  try {
    accessSync(dataDir, constants.W_OK);
  } catch {
    return { id: 'data-dir', title, status: 'fail', detail: `${dataDir} is not writable by this user`, fix: `Give it back to your user: chown -R "$USER" "${dataDir}"` };
  }
  if (platform !== 'win32') {
    const candidates = [
      { path: dataDir, mode: '700' },
      { path: join(dataDir, DATABASE_FILE_NAME), mode: '600' },
      { path: join(dataDir, SECRET_KEY_FILE_NAME), mode: '600' },
    ];
    const open = candidates.filter(({ path }) => existsSync(path) && (statSync(path).mode & 0o077) !== 0);
    if (open.length > 0) {
      return {
        id: 'data-dir',
        title,
        status: 'fail',
        detail: `Other users can read ${open.map(({ path }) => path).join(', ')}`,
        fix: open.map(({ path, mode }) => `chmod ${mode} "${path}"`).join('; '),
      };
    }
  }
  return { id: 'data-dir', title, status: 'pass', detail: `${dataDir} is private to this user and writable`, fix: null };
}

/** `undefined` when this host has no browser dashboard to check (the desktop window). */
export function checkDashboard(dashboardDir: string | null | undefined): CheckResult | null {
  if (dashboardDir === undefined) return null;
  if (dashboardDir !== null && existsSync(join(dashboardDir, 'index.html'))) {
    return { id: 'dashboard', title: 'Dashboard', status: 'pass', detail: `Built (${dashboardDir})`, fix: null };
  }
  return { id: 'dashboard', title: 'Dashboard', status: 'fail', detail: 'The dashboard is not built, so its address shows a notice instead', fix: 'Run `npm run build:renderer` (npm run serve builds it when it is missing)' };
}

/**
 * A real Ollama on the machine, and how it relates to Switchboard's port: Ollama-only tools
 * (VS Code Copilot, JetBrains) talk to port 11434 whatever answers there.
 */
export async function checkOllama(switchboardPort: number, listening: boolean, ollamaProviderUrls: readonly string[], probe: ProbeOptions = {}): Promise<CheckResult> {
  const title = 'Ollama';
  const id = 'ollama';
  const ports = [...new Set([OLLAMA_DEFAULT_PORT, ...ollamaProviderUrls.map(portOf).filter((port): port is number => port !== null)])];
  for (const port of ports) {
    if (port === switchboardPort && listening) continue;
    const occupant = await identifyPortOccupant(base('127.0.0.1', port), probe);
    if (occupant.kind !== 'ollama') continue;
    const used = ollamaProviderUrls.some((url) => portOf(url) === port);
    if (port === OLLAMA_DEFAULT_PORT) {
      return {
        id, title, status: 'warn',
        detail: `A real Ollama ${occupant.version} answers on port ${port}; tools set to the Ollama default reach it, not Switchboard (port ${switchboardPort})`,
        fix: used ? `Point Ollama tools at port ${switchboardPort}` : `Point Ollama tools at port ${switchboardPort}, and add that Ollama as a provider (kind "ollama", base URL http://127.0.0.1:${port}) to reach its models through Switchboard`,
      };
    }
    return {
      id, title, status: 'pass',
      detail: `A real Ollama ${occupant.version} answers on port ${port}${used ? ' and is a provider' : ''}`,
      fix: used ? null : `Add it as a provider (kind "ollama", base URL http://127.0.0.1:${port}) to reach its models through Switchboard`,
    };
  }
  if (switchboardPort === OLLAMA_DEFAULT_PORT) {
    const detail = listening ? `Switchboard holds the Ollama port ${OLLAMA_DEFAULT_PORT}, so Ollama tools reach Switchboard` : `No Ollama answers on port ${OLLAMA_DEFAULT_PORT}; Switchboard takes that port when it starts, so Ollama tools reach it`;
    return { id, title, status: 'pass', detail, fix: null };
  }
  return { id, title, status: 'pass', detail: `No Ollama answers on port ${OLLAMA_DEFAULT_PORT}`, fix: null };
}

function portOf(url: string): number | null {
  try {
    const parsed = new URL(url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return null;
    return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  } catch {
    // A stored base URL is validated; an unparsable one simply has no port to check here.
    return null;
  }
}

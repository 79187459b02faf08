/** Runs the real `switchboard` CLI (bin/switchboard.js → dist/proxy/cli.cjs) as a user would. */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** dist/proxy is built once for the run by test/build-engine.global-setup.ts. */
export const root = join(import.meta.dirname, '..', '..');
export const bin = join(root, 'bin', 'switchboard.js');

/** Runs a command to its end; never throws on a non-zero exit. */
export function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const stdout = execFileSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Like run, without blocking this process (for commands that call servers living in the test). */
export function runAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export interface Serving {
  child: ChildProcess;
  output: () => string;
  baseUrl: string;
  exit: Promise<number | null>;
}

/** Starts `serve` and resolves once it prints its address (rejects with its output otherwise). */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Serving> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 45_000);
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => output, baseUrl: match[1]!, exit });
      }
    };
    child.stdout!.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}


/** SIGTERM, and the exit code once it stopped. */
export async function stopServe(serving: Serving): Promise<number | null> {
  serving.child.kill('SIGTERM');
  return serving.exit;
}

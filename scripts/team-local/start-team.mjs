/**
 * Starts the team topology of deploy/topology.mjs as local processes: PostgreSQL and a
 * Redis-compatible server (through the test fixtures' starters, passed in: Debian's binaries on
 * free ports in temp folders), two `serve` instances on that team store, and the round-robin load
 * balancer in front. `npm run team:local` and test/team/team-local.test.ts both start it here.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTANCE_ARGS, instanceEnv, instances, loadBalancer, postgres } from '../../deploy/topology.mjs';
import { startLoadBalancer } from '../team-lb.mjs';

const APP = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(APP, 'bin', 'switchboard.js');
const START_MS = 60_000;
// The instances listen on 0.0.0.0 here too, reachable around the balancer: believe forwarded
// headers only from this machine (the local balancer forwards connections and adds none).
const LOCAL_ARGS = INSTANCE_ARGS.map((arg, index) => (INSTANCE_ARGS[index - 1] === '--trust-proxy' ? '127.0.0.1' : arg));
const STOP_MS = 15_000;

/** One `serve` instance: `stop` works at once; `ready` resolves once it printed its address and tokens. */
function startInstance(name, env) {
  const child = spawn(process.execPath, [BIN, 'serve', ...LOCAL_ARGS, '--port', '0'], { cwd: APP, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
    await exited;
    clearTimeout(timer);
  };
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_MS} ms:\n${output}`)), START_MS);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      // The banner is one write: its address first, the data folder, then the tokens it created.
      const listening = /listening on https?:\/\/[^:\s]+:(\d+)/.exec(output);
      if (!listening || !/Data folder:[^\n]*\n/.test(output.slice(listening.index))) return;
      clearTimeout(timer);
      resolve({
        name,
        port: Number(listening[1]),
        adminToken: /#token=([\w-]+)/.exec(output)?.[1] ?? null,
        clientToken: /Client token \(first run[^:]*\): (\S+)/.exec(output)?.[1] ?? null,
      });
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) while starting:\n${output}`));
    });
  });
  return { ready, stop };
}

/**
 * Starts the team; `team.close()` stops whatever is running (also while it is still starting:
 * `started` then rejects). Stops in reverse order: load balancer, instances, servers, folders.
 * @param {{ servers: { startPostgresServer(o: { user: string }): Promise<{ url: string, close(): Promise<void> }>, startRedisServer(): Promise<{ url: string, close(): Promise<void> }>,
 *                       createTestDatabase(serverUrl: string, o: { name: string }): Promise<string> },
 *           lbPort?: number, lbHost?: string, onStep?: (text: string) => void }} options
 */
export function startTeam({ servers, lbPort = loadBalancer.port, lbHost = '127.0.0.1', onStep = () => undefined }) {
  const stops = [];
  let closed = false;
  const close = async () => {
    closed = true;
    while (stops.length) await stops.pop()().catch((error) => process.stderr.write(`team:local: while stopping: ${error.message}\n`));
  };
  /** Registers a stop; after close() it runs at once and the start gives up. */
  const own = async (stop) => {
    stops.push(stop);
    if (closed) {
      await close();
      throw new Error('stopped while starting');
    }
  };
  const started = (async () => {
    onStep('starting PostgreSQL and the Redis-compatible server');
    const [db, shared] = await Promise.allSettled([servers.startPostgresServer({ user: postgres.user }), servers.startRedisServer()]);
    for (const result of [db, shared]) if (result.status === 'fulfilled') stops.push(() => result.value.close());
    await own(async () => undefined);
    for (const result of [db, shared]) if (result.status === 'rejected') throw result.reason;
    const storeUrl = await servers.createTestDatabase(db.value.url, { name: postgres.database });
    const root = mkdtempSync(join(tmpdir(), 'switchboard-team-local-'));
    await own(async () => rmSync(root, { recursive: true, force: true }));
    const secretKey = randomBytes(32).toString('hex');

    const running = [];
    // One after the other: the first runs the migrations and creates the first client token.
    for (const { service } of instances) {
      onStep(`starting ${service}`);
      const instance = startInstance(service, instanceEnv({ storeUrl, sharedUrl: shared.value.url, secretKey, dataDir: mkdtempSync(join(root, `${service}-`)) }));
      await own(instance.stop);
      running.push(await instance.ready);
    }
    const lb = await startLoadBalancer({ host: lbHost, port: lbPort, upstreams: running.map((instance) => ({ host: '127.0.0.1', port: instance.port })) });
    await own(() => lb.close());
    return {
      url: `http://${lbHost}:${lb.port}`,
      storeUrl,
      sharedUrl: shared.value.url,
      instances: running.map(({ name, port }) => ({ name, port })),
      adminToken: running[0].adminToken,
      clientToken: running[0].clientToken,
    };
  })();
  // A failed start leaves nothing running.
  const guarded = started.catch(async (error) => {
    await close();
    throw error;
  });
  return { started: guarded, close };
}

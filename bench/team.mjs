// The team scenario's servers (issue 17): one PostgreSQL and one Redis-compatible server, started
// the way the tests and `npm run team:local` start them (the fixtures' starters: Debian's binaries,
// free ports, temp folders), and two team-mode Switchboard instances on them, configured like the
// single SQLite instance (bench/switchboard-server.mjs). The load generator round-robins over the
// two addresses itself, so no balancer's CPU sits in the figures. CPU per request counts every
// process that serves the team: both instances, the postmaster and its backends, and the
// Redis-compatible server (each reported apart as well).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { installHint, loadTeamServers, missingTeamPackages } from '../scripts/team-local/servers.mjs';

/** utime + stime of one process in ms (100 ticks/s); 0 once it is gone. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** A process and its direct children (PostgreSQL's backends are the postmaster's children). */
function familyCpuMs(pid) {
  let total = cpuMs(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return total;
}

/**
 * Starts the team; resolves { target, close } or { missing } (what is not installed and how to
 * install it: the bench then says so and runs the other scenarios).
 * @param {{ startProcess: Function, script: string, upstreamOrigin: string, flags: string[], pin: boolean }} options
 */
export async function startTeamTarget({ startProcess, script, upstreamOrigin, flags, pin }) {
  const missing = missingTeamPackages();
  if (missing.length) return { missing: `missing Debian packages ${missing.join(', ')}; install them with: ${installHint(missing)}` };
  const servers = await loadTeamServers();
  const [db, shared] = await Promise.all([servers.startPostgresServer({}), servers.startRedisServer()]);
  // A bench that dies must not leave the servers running (their folders are temp folders).
  const killServers = () => {
    for (const pid of [db.pid, shared.pid]) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // Already stopped.
      }
    }
  };
  process.once('exit', killServers);
  // On the servers' CPU like the instances; backends forked later inherit the postmaster's affinity.
  if (pin) {
    execFileSync('taskset', ['-p', '-c', '1', String(db.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(shared.pid)], { stdio: 'ignore' });
  }
  const storeUrl = await servers.createTestDatabase(db.url, { prefix: 'bench' });
  const env = { SB_BENCH_STORE: storeUrl, SB_BENCH_SHARED: shared.url, SB_BENCH_SECRET_KEY: randomBytes(32).toString('hex') };
  const instances = [];
  try {
    // One after the other: the first runs the migrations and configures the shared store.
    instances.push(await startProcess(script, [upstreamOrigin, 'on'], flags, env));
    instances.push(await startProcess(script, [upstreamOrigin, 'on'], flags, { ...env, SB_BENCH_JOIN: '1' }));
  } catch (error) {
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all([db.close(), shared.close()]);
    throw error;
  }
  const [, , governed] = instances[0].line.split(' ');
  const parts = () => ({
    instances: instances.reduce((sum, instance) => sum + cpuMs(instance.pid), 0),
    postgres: familyCpuMs(db.pid),
    redis: cpuMs(shared.pid),
  });
  return {
    target: {
      name: 'switchboard-team',
      origins: instances.map((instance) => `http://127.0.0.1:${instance.line.split(' ')[0]}`),
      cpuParts: parts,
      headers: { authorization: `Bearer ${governed}` },
    },
    async close() {
      await Promise.all(instances.map((instance) => new Promise((resolve) => {
        if (instance.child.exitCode !== null || instance.child.signalCode !== null) return resolve();
        instance.child.once('exit', resolve);
        instance.child.kill('SIGTERM');
      })));
      await Promise.all([db.close(), shared.close()]);
      process.off('exit', killServers);
    },
  };
}

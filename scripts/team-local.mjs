/**
 * `npm run team:local`: the team server of deploy/compose.yaml without containers — PostgreSQL,
 * a Redis-compatible server (Valkey or Debian's redis-server), two `serve` instances on that
 * team store and a round-robin load balancer in front (deploy/topology.mjs names them all).
 * Everything lives in temp folders and goes away with Ctrl-C. Installs nothing: it says which
 * Debian packages are missing. `--port N` moves the load balancer (default 8080; 0 = any free).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTeam } from './team-local/start-team.mjs';
import { installHint, loadTeamServers, missingTeamPackages } from './team-local/servers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const portFlag = process.argv.indexOf('--port');
const lbPort = portFlag === -1 ? undefined : Number(process.argv[portFlag + 1]);
if (lbPort !== undefined && !(Number.isInteger(lbPort) && lbPort >= 0 && lbPort <= 65535)) {
  console.error(`team:local: --port must be a number from 0 to 65535, not "${process.argv[portFlag + 1]}"`);
  process.exit(2);
}
const missing = missingTeamPackages();
if (missing.length) {
  console.error(`team:local: missing Debian packages: ${missing.join(', ')}. Install them with:\n  ${installHint(missing)}`);
  process.exit(1);
}
if (!existsSync(`${root}/dist/proxy/cli.cjs`)) {
  console.error('team:local: the engine is not built: run "npm run build:proxy" first.');
  process.exit(1);
}

let team = null;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the team (instances, load balancer, Valkey/Redis, PostgreSQL)…');
  await team?.close();
  console.log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

let info;
try {
  team = startTeam({ servers: await loadTeamServers(), lbPort, onStep: (text) => console.log(`team:local: ${text}…`) });
  info = await team.started;
} catch (error) {
  if (stopping) await new Promise(() => undefined); // stop() exits once all is down
  console.error(`team:local: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const { url, instances, adminToken, clientToken } = info;
console.log(`
Switchboard team server (local processes; data is gone when you stop it)
  Load balancer:  ${url}   (round-robin over ${instances.map((i) => `${i.name} :${i.port}`).join(', ')})
  OpenAI base URL: ${url}/v1
  Dashboard:      ${url}/_switchboard/#token=${adminToken}
  Admin token:    ${adminToken}   (any instance accepts it; again later: the Dashboard line above)
  Client token:   ${clientToken}   (shown once; every route of a team server needs one)

More client tokens (one per person):
  curl -s ${url}/_switchboard/api/createClientToken -H 'x-switchboard-admin: ${adminToken}' -H 'content-type: application/json' -d '{"name":"alice"}'
Add a provider in the dashboard, then for example:
  curl ${url}/v1/chat/completions -H 'authorization: Bearer ${clientToken}' -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
  (SDK: new OpenAI({ baseURL: '${url}/v1', apiKey: '${clientToken}' }))

Ctrl-C stops everything.`);

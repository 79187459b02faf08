/**
 * The team server's topology, written once: deploy/compose.yaml runs it in containers,
 * `npm run team:local` (scripts/team-local.mjs) as local processes, and
 * test/team/compose-topology.test.ts checks the compose file against it.
 * Plain JavaScript so the script (Node without a TypeScript step) and the tests both import it.
 */

/** PostgreSQL: the team store every instance shares. */
export const postgres = Object.freeze({
  service: 'postgres',
  port: 5432,
  database: 'switchboard',
  user: 'switchboard',
  /** The environment names the postgres image reads (compose) for its first database. */
  env: Object.freeze(['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD']),
});

/** Valkey (or Redis): limits, budgets, cooldowns and the cache shared within milliseconds. */
export const valkey = Object.freeze({ service: 'valkey', port: 6379 });

/** What every Switchboard instance gets from its environment (serve reads these names). */
export const INSTANCE_ENV = Object.freeze(['SWITCHBOARD_STORE', 'SWITCHBOARD_SHARED', 'SWITCHBOARD_SECRET_KEY', 'SWITCHBOARD_DATA_DIR']);

/** The port each instance listens on inside its container (team:local picks free ones). */
export const INSTANCE_PORT = 11434;

/** The config file of every instance, relative to the app folder (the repo, or /app in the image). */
export const CONFIG_FILE = 'deploy/team.yaml';

/** `serve` flags of every instance: any address (team mode), the load balancer's forwarded headers believed, the team config. */
export const INSTANCE_ARGS = Object.freeze(['--host', '0.0.0.0', '--trust-proxy', '1', '--log-format', 'json', '--config', CONFIG_FILE]);

/** Two instances; the load balancer spreads requests over them. */
export const instances = Object.freeze([
  Object.freeze({ service: 'switchboard-a', port: INSTANCE_PORT }),
  Object.freeze({ service: 'switchboard-b', port: INSTANCE_PORT }),
]);

/** The one address a team points its tools at. */
export const loadBalancer = Object.freeze({
  service: 'lb',
  /** Published on the host (compose) and the default of team:local's balancer. */
  port: 8080,
  upstreams: Object.freeze(instances.map((instance) => instance.service)),
});

/** Every service of the topology, in start order. */
export const services = Object.freeze([postgres.service, valkey.service, ...instances.map((instance) => instance.service), loadBalancer.service]);

/** The environment of one instance, given where the servers are and the secret key. */
export function instanceEnv({ storeUrl, sharedUrl, secretKey, dataDir }) {
  return { SWITCHBOARD_STORE: storeUrl, SWITCHBOARD_SHARED: sharedUrl, SWITCHBOARD_SECRET_KEY: secretKey, SWITCHBOARD_DATA_DIR: dataDir };
}

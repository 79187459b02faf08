/**
 * deploy/compose.yaml and the Dockerfile against deploy/topology.mjs, the one description of the
 * team server that `npm run team:local` also starts: same services, ports, environment names,
 * the load balancer in front of both instances, and an image that runs `serve` as non-root.
 * (Docker does not run here: this reads the files.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_FILE, INSTANCE_ARGS, INSTANCE_ENV, instances, loadBalancer, postgres, services, valkey } from '../../deploy/topology.mjs';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };

describe('deploy/compose.yaml matches deploy/topology.mjs', () => {
  it('has exactly the topology services, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...services].sort());
    for (const name of services) expect(compose.services[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
  });

  it('publishes only the load balancer, on the topology port; the others listen inside on theirs', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports?.length);
    expect(published.map(([name]) => name)).toEqual([loadBalancer.service]);
    expect(compose.services[loadBalancer.service]!.ports).toEqual([`${loadBalancer.port}:${loadBalancer.port}`]);
    expect(compose.services[postgres.service]!.expose).toEqual([String(postgres.port)]);
    expect(compose.services[valkey.service]!.expose).toEqual([String(valkey.port)]);
    expect(compose.services[valkey.service]!.image).toMatch(/^valkey\/valkey:/);
    expect(Object.keys(compose.services[postgres.service]!.environment ?? {}).sort()).toEqual([...postgres.env].sort());
    expect(compose.services[postgres.service]!.environment).toMatchObject({ POSTGRES_DB: postgres.database, POSTGRES_USER: postgres.user });
  });

  it('runs each instance from the Dockerfile with the topology environment, flags and port', () => {
    for (const { service, port } of instances) {
      const instance = compose.services[service]!;
      expect(instance.build, service).toEqual({ context: '..', dockerfile: 'Dockerfile' });
      expect(Object.keys(instance.environment ?? {}).sort(), service).toEqual([...INSTANCE_ENV].sort());
      const env = instance.environment!;
      expect(new URL(env.SWITCHBOARD_STORE!).host).toBe(`${postgres.service}:${postgres.port}`);
      expect(new URL(env.SWITCHBOARD_STORE!).pathname).toBe(`/${postgres.database}`);
      expect(new URL(env.SWITCHBOARD_STORE!).username).toBe(postgres.user);
      expect(env.SWITCHBOARD_SHARED).toBe(`redis://${valkey.service}:${valkey.port}`);
      expect(instance.command, service).toEqual([...INSTANCE_ARGS, '--port', String(port)]);
      expect(instance.expose).toEqual([String(port)]);
      expect(instance.volumes).toContain(`./team.yaml:/app/${CONFIG_FILE}:ro`);
      expect(instance.depends_on).toMatchObject({ [postgres.service]: { condition: 'service_healthy' }, [valkey.service]: { condition: 'service_healthy' } });
    }
    // One data folder each (history journals are per process).
    const dataVolumes = instances.map(({ service }) => compose.services[service]!.volumes!.find((volume) => volume.endsWith(':/data')));
    expect(new Set(dataVolumes).size).toBe(instances.length);
  });

  it('puts the load balancer in front of both instances', () => {
    const lb = compose.services[loadBalancer.service]!;
    expect(Object.keys(lb.depends_on ?? {}).sort()).toEqual([...loadBalancer.upstreams].sort());
    const mounted = lb.volumes!.find((volume) => volume.startsWith('./nginx.conf:'));
    expect(mounted).toBeDefined();
    const conf = read('deploy/nginx.conf');
    expect(conf).toMatch(new RegExp(`listen ${loadBalancer.port};`));
    const upstreams = [...conf.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((match) => `${match[1]}:${match[2]}`);
    expect(upstreams.sort()).toEqual(instances.map(({ service, port }) => `${service}:${port}`).sort());
    expect(conf).toMatch(/proxy_pass http:\/\/switchboard;/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('builds in one stage and runs a slim Node image as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/python3 make g\+\+/);
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    expect(runtime).toMatch(/^node:20-[\w-]*slim/);
    const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).not.toMatch(/^COPY (?!--from)/m);
  });

  it('starts serve, exposes the instance port and checks /health', () => {
    expect(runtime).toMatch(/^ENTRYPOINT \[.*"bin\/switchboard\.js", "serve"\]/m);
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${instances[0]!.port}$`, 'm'));
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
  });
});

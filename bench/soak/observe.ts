/**
 * Reads the settled platform's state for the invariants (invariants.ts: SettledState): deployments,
 * projects and logs from its Postgres, the deployments queue's jobs from its Redis, the containers,
 * images, networks and volumes labelled with its instance from Docker, the hosts Caddy routes (its config's,
 * and those it answers for through router-sync's resolver).
 */
import Docker from 'dockerode';
import { Queue } from 'bullmq';
import pg from 'pg';
import { deploymentQueueName } from '@berth/shared/jobs';
import { queuePrefix } from '@berth/shared/redis-keys';
import { labels } from '@berth/shared/labels';
import { imageRepositoryPrefix, parseImageTag } from '@berth/shared/docker-names';
import { createRedis } from '@berth/shared/redis';
import { onOwnConnection } from '@berth/shared/own-connection';
import { request } from '@berth/testing/http';
import { branchHost, type DeploymentFact, type LogFact, type SettledState } from './invariants.ts';
import type { SoakPlatform } from './platform.ts';

const docker = new Docker();

async function fromDatabase(url: string): Promise<Pick<SettledState, 'deployments' | 'projects' | 'logs'>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deployments = await client.query<DeploymentFact>(
      `select id, project, status, release_of is null as built, release_of as "releaseOf", case when promote then null else branch end as "previewOf", exists (select 1 from deployment_transitions t where t.deployment_id = d.id and t.status = 'running') as "wentLive"
         from deployments d order by created_at`,
    );
    const projects = await client.query<{ name: string; current: string | null }>('select name, current_deployment_id as current from projects');
    const lines = await client.query<LogFact & { deployment_id: string }>('select deployment_id, seq::int as seq, stream, line from deployment_logs order by deployment_id, seq');
    const logs: Record<string, LogFact[]> = {};
    for (const { deployment_id, ...line } of lines.rows) (logs[deployment_id] ??= []).push(line);
    return { deployments: deployments.rows, projects: projects.rows, logs };
  } finally {
    await client.end();
  }
}

async function fromQueue(platform: SoakPlatform): Promise<SettledState['jobs']> {
  // On a connection of its own, closed with it (own-connection.ts): each look would leave one open.
  const queue = onOwnConnection(platform.env.REDIS_URL!, (connection) => new Queue(deploymentQueueName, { connection, prefix: queuePrefix(platform.instance) }));
  try {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed']);
    return Promise.all(jobs.filter(Boolean).map(async (j) => ({ id: j.id!, state: await j.getState() })));
  } finally {
    await queue.close();
  }
}

/** `withImages`: listing images took Docker a minute on a busy machine (it sizes every layer), so only the last look lists them. */
async function fromDocker(instance: string, withImages: boolean): Promise<Pick<SettledState, 'containers' | 'images' | 'networks' | 'volumes'>> {
  const filters = { label: [`${labels.instance}=${instance}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const images = withImages ? (await docker.listImages({ filters: { reference: [`${imageRepositoryPrefix(instance)}*`] } })).flatMap((i) => i.RepoTags ?? []) : [];
  const networks = await docker.listNetworks({ filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return {
    containers: containers.map((c) => ({ name: c.Names[0] ?? c.Id, deployment: c.Labels[labels.deployment] })),
    images: images.map((tag) => ({ tag, deployment: parseImageTag(instance, tag) })),
    networks: networks.map((n) => ({ name: n.Name, project: n.Labels?.[labels.project] })),
    volumes: (Volumes ?? []).map((v) => ({ name: v.Name, project: v.Labels?.[labels.project] })),
  };
}

/** Every host Caddy sends to an app: the map's inputs and the routes' host matchers, the API's own host left out. */
export function routedHosts(config: unknown, baseDomain: string): string[] {
  const hosts = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.handler === 'map' && Array.isArray(o.mappings)) for (const m of o.mappings as { input: string }[]) hosts.add(m.input);
    if (Array.isArray(o.host)) for (const h of o.host as string[]) hosts.add(h);
    Object.values(o).forEach(visit);
  };
  visit((config as { apps?: unknown } | null)?.apps);
  hosts.delete(baseDomain);
  return [...hosts].sort();
}

/**
 * The hosts among `candidates` that Caddy sends to an app: asked through Caddy itself, since in docker
 * mode the routes are router-sync's resolver's answers, not lines of Caddy's config. A host is routed
 * unless it gets Berth's 404 page (an app that does not answer still gets a 502: routed).
 */
async function hostsAnswered(caddyUrl: string, candidates: string[]): Promise<string[]> {
  const routed: string[] = [];
  for (const host of candidates) {
    // node:http, not fetch: fetch does not send a Host header of the caller's.
    const res = await request(`${caddyUrl}/`, { host }).catch(() => undefined);
    if (res && !(res.status === 404 && res.body.includes('no deployment'))) routed.push(host);
  }
  return routed;
}

export async function observeSettled(platform: SoakPlatform, releasesKept: number, withImages = true): Promise<SettledState> {
  const baseDomain = platform.env.BASE_DOMAIN!;
  const config = await (await fetch(`${platform.caddy.adminUrl}/config/`)).json();
  const db = await fromDatabase(platform.env.DATABASE_URL!);
  const branches = db.deployments.filter((d) => d.previewOf).map((d) => branchHost(d.previewOf!, d.project, baseDomain));
  const candidates = [...db.deployments.map((d) => `${d.id}.${baseDomain}`), ...db.projects.map((p) => `${p.name}.${baseDomain}`), ...new Set(branches)];
  const routeHosts = new Set([...routedHosts(config, baseDomain), ...(await hostsAnswered(platform.caddyUrl, candidates))]);
  return {
    baseDomain,
    releasesKept,
    ...db,
    jobs: await fromQueue(platform),
    ...(await fromDocker(platform.instance, withImages)),
    routeHosts: [...routeHosts].sort(),
  };
}

/** The database's and Redis' sizes now (pg_database_size, Redis used_memory). */
export async function storeSizes(platform: SoakPlatform): Promise<{ postgres: number; redis: number }> {
  // A chaos step may have Postgres or Redis down right now (the warm-up's look met a restart): look again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeSizesOnce(platform);
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function storeSizesOnce(platform: SoakPlatform): Promise<{ postgres: number; redis: number }> {
  const client = new pg.Client({ connectionString: platform.env.DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {}); // the server gone mid-look: the query fails, and is tried again
  try {
    await client.connect();
    const { rows } = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
    const redis = createRedis(platform.env.REDIS_URL!, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
    try {
      const info = await redis.info('memory');
      return { postgres: Number(rows[0]!.bytes), redis: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) };
    } finally {
      redis.disconnect();
    }
  } finally {
    await client.end().catch(() => {});
  }
}

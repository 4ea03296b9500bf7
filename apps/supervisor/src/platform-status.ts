import http from 'node:http';
import { Queue } from 'bullmq';
import { createDb } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { deploymentQueueName } from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { WorkerRegistry, type WorkerInfo } from '@berth/shared/worker-registry';
import type { ProcessStatus } from './process-supervisor.ts';
import { isAlive, readState } from './state-file.ts';

export interface StatusSources {
  stateDir: string;
  redisUrl: string;
  databaseUrl: string;
  instance: string;
  caddyAdminUrl: string;
  dockerSocket: string;
  /** Each check gives up after this long (a service that does not answer is down). */
  timeoutMs: number;
}

export type Check = { ok: true; detail?: string } | { ok: false; error: string };

/** Everything `npm run status` shows, gathered in one go. */
export interface PlatformStatus {
  supervisor: { pid: number; startedAt: string; alive: boolean } | null;
  processes: ProcessStatus[];
  services: { redis: Check; postgres: Check; caddy: Check; docker: Check };
  queue: { waiting: number; delayed: number; active: number; oldestWaitMs: number | null } | null;
  workers: WorkerInfo[] | null;
  apps: { id: string; project: string | null; since: string }[] | null;
}

/** Asks every part of the platform at once; none of the questions may take longer than `timeoutMs`. */
export async function gatherStatus(src: StatusSources, now = Date.now()): Promise<PlatformStatus> {
  const state = readState(src.stateDir);
  // One try, no reconnecting: a Redis that is down fails the check at once.
  const redis = createRedis(src.redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: src.timeoutMs });
  const db = createDb(src.databaseUrl, { max: 1 });
  const queue = new Queue(deploymentQueueName, { connection: redis, prefix: queuePrefix(src.instance) });
  queue.on('error', () => {});
  try {
    const within = <T>(work: () => Promise<T>) => withTimeout(work(), src.timeoutMs);
    const [redisCheck, postgres, caddy, docker] = await Promise.all([
      check(within(() => redis.ping())),
      check(within(() => new DeploymentStore(db).ping())),
      check(within(() => httpOk(src.caddyAdminUrl, '/config/', src.timeoutMs))),
      check(within(() => httpOk(`unix://${src.dockerSocket}`, '/_ping', src.timeoutMs))),
    ]);
    const [queueInfo, workers] = redisCheck.ok
      ? await Promise.all([
          within(() => queueDepth(queue, now)).catch(() => null),
          within(() => new WorkerRegistry(redis, src.instance).list()).catch(() => null),
        ])
      : [null, null];
    const apps = postgres.ok
      ? await within(() => new DeploymentStore(db).list({ limit: 100, status: 'running' }))
          .then((r) => r.items.map((d) => ({ id: d.id, project: d.project, since: new Date(d.updated_at as unknown as string | Date).toISOString() })))
          .catch(() => null)
      : null;
    return {
      supervisor: state ? { pid: state.pid, startedAt: state.startedAt, alive: isAlive(state.pid) } : null,
      // A process the file calls running but whose pid is gone (the supervisor was killed) is not running.
      processes: (state?.processes ?? []).map((p) => (p.pid !== null && !isAlive(p.pid) ? { ...p, state: 'stopped', pid: null } : p)),
      services: { redis: redisCheck, postgres, caddy, docker },
      queue: queueInfo,
      workers,
      apps,
    };
  } finally {
    await queue.close().catch(() => {});
    redis.disconnect();
    await db.destroy().catch(() => {});
  }
}

async function queueDepth(queue: Queue, now: number): Promise<NonNullable<PlatformStatus['queue']>> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
  const [oldest] = await queue.getJobs(['waiting', 'prioritized'], 0, 0, true);
  return {
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    delayed: counts.delayed ?? 0,
    active: counts.active ?? 0,
    oldestWaitMs: oldest ? Math.max(0, now - oldest.timestamp) : null,
  };
}

async function check(work: Promise<unknown>): Promise<Check> {
  try {
    await work;
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message || err.constructor.name : String(err) };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A GET that must answer 2xx: http://host:port or unix:///path.sock (Caddy's admin, Docker's API). */
function httpOk(base: string, path: string, timeoutMs: number): Promise<void> {
  const url = new URL(base);
  const target: http.RequestOptions =
    url.protocol === 'unix:'
      ? // An empty Host: what Caddy's admin accepts on a unix socket (swarm mode's Caddy container); Docker ignores it.
        { socketPath: decodeURIComponent(url.pathname), path, setHost: false, headers: { host: '' } }
      : { host: url.hostname, port: url.port || 80, path: `${url.pathname.replace(/\/$/, '')}${path}` };
  return new Promise((resolve, reject) => {
    const req = http.get({ ...target, timeout: timeoutMs }, (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) resolve();
      else reject(new Error(`answered ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

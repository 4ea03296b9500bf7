import type { Redis } from './redis.ts';
import { workerKey, workersKey } from './redis-keys.ts';

/** What a worker says about itself on every heartbeat. */
export interface WorkerInfo {
  /** Its name in logs (`worker-2` under `npm run up`, the host and pid otherwise). */
  id: string;
  host: string;
  pid: number;
  /** Jobs it runs at once. */
  concurrency: number;
  /** Deployments whose jobs it is running now. */
  running: string[];
  startedAt: string;
  lastHeartbeat: string;
}

/**
 * The live workers of one installation, as their heartbeats tell: each worker
 * writes its own key with a TTL (so a killed worker disappears on its own) and
 * its id into a sorted set (so readers need no SCAN over a shared Redis).
 * Written by the worker only; read by the API and `npm run status`.
 */
export class WorkerRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
  ) {}

  /** Records a heartbeat that lives for `ttlMs`. */
  async beat(info: Omit<WorkerInfo, 'lastHeartbeat'>, ttlMs: number, now = new Date()): Promise<void> {
    const value: WorkerInfo = { ...info, lastHeartbeat: now.toISOString() };
    await this.redis
      .multi()
      .set(workerKey(this.instance, info.id), JSON.stringify(value), 'PX', ttlMs)
      .zadd(workersKey(this.instance), now.getTime(), info.id)
      .exec();
  }

  /** A worker that stops cleanly leaves at once (a killed one when its heartbeat expires). */
  async remove(id: string): Promise<void> {
    await this.redis.multi().del(workerKey(this.instance, id)).zrem(workersKey(this.instance), id).exec();
  }

  /** The deployments some live worker says it runs a job of now. */
  async runningDeployments(): Promise<Set<string>> {
    return new Set((await this.list()).flatMap((w) => w.running));
  }

  /** Live workers, by id; ids whose heartbeat expired are dropped from the set as a side effect. */
  async list(): Promise<WorkerInfo[]> {
    const ids = await this.redis.zrange(workersKey(this.instance), '0', '-1');
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => workerKey(this.instance, id)));
    const gone = ids.filter((_, i) => values[i] === null);
    if (gone.length > 0) await this.redis.zrem(workersKey(this.instance), ...gone);
    return values
      .filter((v): v is string => v !== null)
      .map((v) => JSON.parse(v) as WorkerInfo)
      .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }
}

import { inject } from 'vitest';
import { newDeploymentId } from '@berth/shared/ids';
import { createLogger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import { LogStore } from '@berth/shared/log-store';
import { encodeEvent, statusEvent } from '@berth/shared/events';
import { eventsChannel } from '@berth/shared/redis-keys';
import { LogSink } from '@berth/worker/log-sink';
import type { Stack } from './stack.ts';

/**
 * The worker-side log publisher (the real LogSink) for a deployment row made
 * directly in the database: lets tests drive exact volumes of log lines.
 */
export async function logWriter(
  stack: Stack,
  options: { redis?: Redis; logs?: LogStore; flushMs?: number; maxBatch?: number; deploymentId?: string } = {},
) {
  const id = options.deploymentId ?? newDeploymentId();
  if (!options.deploymentId) {
    await stack.db.store.create({ id, project: 'logs', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
    await stack.db.lifecycle.transition(id, ['queued'], 'fetching');
  }
  const redis = options.redis ?? createRedis(inject('redisUrl'));
  const sink = new LogSink({
    redis,
    logs: options.logs ?? new LogStore(stack.db.db),
    instance: stack.instance,
    deploymentId: id,
    flushMs: options.flushMs ?? 5,
    maxBatch: options.maxBatch ?? 500,
    logger: createLogger('test-sink', 'silent'),
  });
  await sink.init();
  return {
    id,
    sink,
    /** Writes `n` lines "line <i>" (numbered from `from`), flushing as the sink sees fit. */
    async lines(n: number, from = 1) {
      for (let i = 0; i < n; i++) {
        sink.write('build', `line ${from + i}`);
        if (i % 2000 === 1999) await new Promise((r) => setImmediate(r));
      }
      await sink.flush();
    },
    /** Ends the deployment (failed) and announces it, which ends per-deployment streams. */
    async finish() {
      await sink.flush();
      const row = await stack.db.lifecycle.transition(id, ['fetching'], 'failed', { errorCode: 'BUILD_FAILED', errorMessage: 'done' });
      await redis.publish(eventsChannel(stack.instance), encodeEvent(statusEvent(row!)));
    },
    async close() {
      await sink.close();
      if (!options.redis) await redis.quit();
    },
  };
}

/** Asserts the received seqs are exactly from..to, each once, in order. */
export function consecutive(seqs: number[], from: number, to: number): boolean {
  if (seqs.length !== to - from + 1) return false;
  return seqs.every((s, i) => s === from + i);
}

import type { Job, Processor } from 'bullmq';
import type { Logger } from '@berth/shared/logger';
import { everySharedTick } from '@berth/shared/shared-ticker';
import { renewalPeriodMs } from './follow-leases.ts';

/**
 * BullMQ job locks renewed on the process's shared tick (shared-ticker.ts), and only while this
 * process runs a job of the queue. BullMQ's own lock manager wakes each Worker every lockDuration / 4
 * whether or not it has a job (four queues: about 0.9 timer wake-ups a second per worker process with
 * nothing to do, bench:idle, 2026-12-07). A Worker built with `jobLocks(...).options` (BullMQ's renewal
 * off) and its processor through `wrap` has its running jobs' locks extended every
 * renewalPeriodMs(lockMs) (a third of the lock, or a grid period below it); a job whose last renewal
 * has not answered yet (Redis away) is not asked again until it has, as BullMQ waited for each. A lock
 * found lost (another worker took the job over after it stalled) is logged as BullMQ logs it; the
 * job's own fencing (a deployment's heartbeat, a run's status) decides what then happens, as before.
 */
export function jobLocks(lockMs: number, logger: Logger) {
  const running = new Map<Job, string>();
  const renewing = new Set<Job>();
  let stopTicking: (() => void) | undefined;
  const lost = (job: Job, err?: unknown) => logger.error({ err, job: job.id, queue: job.queueName }, 'could not renew the lock of a running job');
  const renew = () => {
    for (const [job, token] of running) {
      if (renewing.has(job)) continue;
      renewing.add(job);
      job
        .extendLock(token, lockMs)
        .then((renewed) => renewed || lost(job), (err: unknown) => lost(job, err))
        .finally(() => renewing.delete(job));
    }
  };
  const wrap = <T, R>(processor: Processor<T, R>): Processor<T, R> =>
    async (job, token, signal) => {
      if (token) running.set(job, token);
      stopTicking ??= everySharedTick(renewalPeriodMs(lockMs), renew);
      try {
        return await processor(job, token, signal);
      } finally {
        running.delete(job);
        if (running.size === 0) {
          stopTicking?.();
          stopTicking = undefined;
        }
      }
    };
  return { options: { lockDuration: lockMs, skipLockRenewal: true }, wrap, running: () => running.size };
}

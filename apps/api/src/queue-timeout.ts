import { BerthError } from '@berth/shared/errors';

/** `work` on a BullMQ queue, or QUEUE_UNAVAILABLE (503) when Redis does not answer within `timeoutMs`. */
export async function withinQueueTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } catch (err) {
    throw new BerthError('QUEUE_UNAVAILABLE', 'the job queue is unavailable; try again shortly', { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

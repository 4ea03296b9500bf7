import { BerthError } from './errors.ts';

/** How long a status change keeps trying while Postgres does not answer. */
export interface RetryPolicy {
  /** Tries in all (1: no retry). */
  attempts: number;
  maxDelayMs: number;
}

/**
 * The worker's: a status change is what lets the next step (or another
 * worker) go on, so it outlasts a Postgres restart (~1 min of backoff).
 */
export const retryUntilPostgresIsBack: RetryPolicy = { attempts: 41, maxDelayMs: 2000 };

/** The API's: a request answers 503 at once rather than hang while Postgres is away. */
export const noRetry: RetryPolicy = { attempts: 1, maxDelayMs: 0 };

/**
 * Runs `work` until it answers, per the policy: a BerthError is an answer (a
 * refusal) and is thrown at once; any other error (Postgres away) is retried
 * with exponential backoff, `onRetry` told first.
 */
export async function retrying<T>(
  policy: RetryPolicy,
  work: (attempt: number) => Promise<T>,
  onRetry: (err: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      if (err instanceof BerthError || attempt + 1 >= policy.attempts) throw err;
      onRetry(err, attempt);
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, policy.maxDelayMs)));
    }
  }
}

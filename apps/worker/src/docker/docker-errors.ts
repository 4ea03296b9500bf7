import { BerthError } from '@berth/shared/errors';

/** The HTTP status of a Docker API error, if it has one. */
export function statusCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err ? Number(err.statusCode) : undefined;
}

/**
 * A network that is gone, or going: 404 (not one about the container), or a swarm network the manager
 * has removed while this node still holds its copy (Docker 20.10 answers 500 "network <id> not found" then).
 */
export function networkGone(err: unknown): boolean {
  const code = statusCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return (code === 404 && !/container/i.test(message)) || (code === 500 && /network \S+ not found/i.test(message));
}

/** Docker errors that mean "the daemon is not there" are retryable infrastructure failures. */
export function unavailable(err: unknown, what: string): BerthError {
  const message = err instanceof Error ? err.message : String(err);
  return new BerthError('DOCKER_UNAVAILABLE', `${what}: ${message}`, { cause: err });
}

/** Runs a Docker removal; gone already (404) is success, busy (409) is retried every 100 ms. */
export async function removeWhenFree(remove: () => Promise<unknown>, what: string, attempts: number): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await remove();
      return;
    } catch (err) {
      const code = statusCode(err);
      if (code === 404) return;
      if (code !== 409) throw unavailable(err, `removing ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new BerthError('DOCKER_UNAVAILABLE', `${what} could not be removed`);
}

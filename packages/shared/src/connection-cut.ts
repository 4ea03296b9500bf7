/** A connection closed under a request before its answer (not a refusal, a timeout or an answer). */
export function isConnectionCut(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || (err as Error | undefined)?.message === 'socket hang up';
}

/**
 * An idempotent request made once more when its connection was cut before
 * the answer, as browsers, curl and Go do (RFC 9110 §9.2.2): a server that
 * replaces its listener (Caddy's admin server on a load, Caddy's proxy on a
 * reload) can close a connection it accepted just then. A second cut is
 * thrown, through `secondCut` when given. Never for a request that is not
 * idempotent: its first try may have done its work.
 */
export async function onceMoreIfCut<T>(call: () => Promise<T>, options: { pauseMs?: number; secondCut?: (err: unknown) => Error } = {}): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!isConnectionCut(err)) throw err;
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    return call().catch((again: unknown) => {
      throw options.secondCut && isConnectionCut(again) ? options.secondCut(again) : again;
    });
  }
}

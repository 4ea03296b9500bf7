import type { Logger } from '@berth/shared/logger';
import type { OpenStreams } from './open-streams.ts';

/**
 * A stream outlives the request that checked its token: re-check the tokens
 * of open streams periodically, so one revoked through any API process stops
 * streaming within `everyMs` (the revoking process ends them at once).
 */
export function watchStreamTokens(
  streams: OpenStreams,
  stillValid: (keys: readonly string[]) => Promise<Set<string>>,
  everyMs: number,
  logger: Logger,
): void {
  let checking = false;
  const check = () => {
    const ids = streams.tokenIds();
    if (checking || ids.length === 0) return;
    checking = true;
    stillValid(ids)
      .then((valid) => {
        for (const id of ids) if (!valid.has(id)) streams.endForToken(id);
      })
      .catch((err: unknown) => logger.warn({ err }, 'could not re-check the tokens of open event streams'))
      .finally(() => (checking = false));
  };
  // Only while streams are open: an idle API wakes for nothing.
  streams.whileOpen(() => {
    const timer = setInterval(check, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  });
}

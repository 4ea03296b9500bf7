/**
 * The API's rate limiters count in fixed windows aligned to the epoch
 * (`RateLimiter`): requests a test expects to be counted together must not
 * straddle a window's end, or the count starts again mid-test. Waits, when
 * the current window has less than `needMs` left, until the next one begins.
 */
export async function clearOfWindowEnd(windowMs: number, needMs = 30_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** How long a hook that calls `clearOfWindowEnd` may take. */
export const clearOfWindowTimeoutMs = 45_000;

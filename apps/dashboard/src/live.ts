import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';

/** How every page reads its streams: a 429 (too many streams for this token) is waited out, not shown as final. */
export const busyRetry = { retryWhenBusy: true, retryMs: 1000, maxBusyWaitMs: 15_000 } as const;

/**
 * Calls `refresh` (at most every 300 ms) whenever the global event stream
 * reports a status change; answers whether the stream waits for a free slot.
 */
export function useStatusRefresh(client: ApiClient, refresh: () => void, onError: (err: unknown) => void): boolean {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    readEvents(client, '/api/events', {
      ...busyRetry,
      onBusy: setBusy,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.event !== 'status') return;
        pending ??= setTimeout(() => ((pending = undefined), refresh()), 300);
      },
    }).catch(onError);
    return () => {
      abort.abort();
      clearTimeout(pending);
    };
  }, []);
  return busy;
}

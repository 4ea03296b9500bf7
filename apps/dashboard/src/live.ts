import { useEffect } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';

/** Calls `refresh` (at most every 300 ms) whenever the global event stream reports a status change. */
export function useStatusRefresh(client: ApiClient, refresh: () => void, onError: (err: unknown) => void): void {
  useEffect(() => {
    const abort = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    readEvents(client, '/api/events', {
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
}

import { useEffect, useState } from 'preact/hooks';
import type { QueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';
import type { Deployment, DeploymentPage, StreamEvent } from '@berth/client/types';
import { keys } from './queries.ts';

/** How every page reads its streams: a 429 (too many streams for this token) is waited out, not shown as final. */
export const busyRetry = { retryWhenBusy: true, retryMs: 1000, maxBusyWaitMs: 15_000 } as const;

type StatusEvent = Extract<StreamEvent, { event: 'status' }>['data'];

/** A status event written straight into every cached copy of that deployment (before the refetch brings the rest). */
export function applyStatus(queries: QueryClient, data: StatusEvent): void {
  const patch = (d: Deployment): Deployment =>
    d.id === data.deploymentId ? { ...d, status: data.status, errorCode: data.errorCode, errorMessage: data.errorMessage } : d;
  queries.setQueryData<Deployment>(keys.deployment(data.deploymentId), (d) => d && patch(d));
  queries.setQueriesData<DeploymentPage>({ queryKey: ['deployments'] }, (page) => page && { ...page, items: page.items.map(patch) });
}

/**
 * One global event stream for the whole signed-in app: each status change
 * patches the cache, then (at most every 300 ms) everything it may move —
 * lists, queue positions, which release serves a project URL — is refetched.
 * Answers whether the stream waits for a free slot.
 */
export function useLiveEvents(client: ApiClient, queries: QueryClient): boolean {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      pending = undefined;
      for (const key of ['deployments', 'deployment', 'projects', 'project']) void queries.invalidateQueries({ queryKey: [key] });
    };
    readEvents(client, '/api/events', {
      ...busyRetry,
      onBusy: setBusy,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.event !== 'status') return;
        applyStatus(queries, event.data);
        pending ??= setTimeout(refresh, 300);
      },
    }).catch(() => setBusy(false));
    return () => {
      abort.abort();
      clearTimeout(pending);
    };
  }, [client, queries]);
  return busy;
}

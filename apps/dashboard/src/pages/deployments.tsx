import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import { readEvents } from '@berth/client/event-reader';
import { deploymentStatuses, type Deployment, type DeploymentStatus } from '@berth/client/types';
import { BusyNote, ErrorBox, StatusBadge } from '../status-badge.tsx';
import { busyRetry } from '../live.ts';

/** Newest first, statuses kept live by the global event stream. */
export function Deployments({ client }: { client: ApiClient }) {
  const [filter, setFilter] = useState<DeploymentStatus | ''>('');
  const [project, setProject] = useState('');
  const [items, setItems] = useState<Deployment[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    client
      .listDeployments({ limit: 100, status: filter || undefined, project: project.trim() || undefined })
      .then((page) => live && (setItems(page.items), setError(undefined)))
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
  }, [filter, project, tick]);

  useEffect(() => {
    const abort = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    // A status change may move queue positions and filters: refetch, at most a few times a second.
    const refresh = () => (pending ??= setTimeout(() => ((pending = undefined), setTick((t) => t + 1)), 300));
    readEvents(client, '/api/events', {
      ...busyRetry,
      onBusy: setBusy,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.event !== 'status') return;
        setItems((list) => list?.map((d) => (d.id === event.data.deploymentId ? { ...d, status: event.data.status } : d)));
        refresh();
      },
    }).catch(setError);
    return () => {
      abort.abort();
      clearTimeout(pending);
    };
  }, []);

  return (
    <section>
      <div class="heading">
        <h1>Deployments</h1>
        <div class="filters">
        <label>
          Project{' '}
          <input type="search" aria-label="Filter by project" value={project} onChange={(e) => setProject(e.currentTarget.value)} placeholder="all" size={12} />
        </label>
        <label>
          Status{' '}
          <select aria-label="Filter by status" value={filter} onChange={(e) => setFilter(e.currentTarget.value as DeploymentStatus | '')}>
            <option value="">all</option>
            {deploymentStatuses.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        </div>
      </div>
      <ErrorBox error={error} />
      <BusyNote busy={busy} />
      {items === undefined ? (
        <p class="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">No deployments yet. <a href="#/new">Create one</a>.</p>
      ) : (
        <ul class="cards" aria-label="Deployments">
          {items.map((d) => (
            <DeploymentRow key={d.id} d={d} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DeploymentRow({ d }: { d: Deployment }) {
  return (
    <li class="card">
      <div class="row">
        <a href={`#/deployments/${d.id}`} class="strong">{d.project} · {d.id}</a>
        {d.current && <span class="muted small">serves {d.projectUrl}</span>}
        <StatusBadge status={d.status} label />
      </div>
      <div class="row muted small">
        <time dateTime={d.createdAt}>{new Date(d.createdAt).toLocaleString()}</time>
        {d.status === 'queued' && d.queuePosition !== null && <span>queue position {d.queuePosition}</span>}
        {d.status === 'running' && <a href={d.url} target="_blank" rel="noopener noreferrer">{d.url}</a>}
      </div>
    </li>
  );
}

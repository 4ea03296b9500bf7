import { useState } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import { deploymentStatuses, type Deployment, type DeploymentStatus } from '@berth/client/types';
import { ErrorBox, StatusBadge } from '../status-badge.tsx';
import { useDeployments } from '../queries.ts';

/** Newest first, statuses kept live by the global event stream (live.ts patches this query's cache). */
export function Deployments({ client }: { client: ApiClient }) {
  const [filter, setFilter] = useState<DeploymentStatus | ''>('');
  const [project, setProject] = useState('');
  const query = useDeployments(client, { limit: 100, status: filter || undefined, project: project.trim() || undefined });
  const items = query.data?.items;
  const error = query.error;

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

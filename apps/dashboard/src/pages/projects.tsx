import type { ApiClient } from '@berth/client/api-client';
import { useProjects } from '../queries.ts';
import { ErrorBox, StatusBadge } from '../status-badge.tsx';

/** Every project: its stable URL and the status of the release it serves. */
export function Projects({ client }: { client: ApiClient }) {
  const { data, error } = useProjects(client);
  const items = data?.items;

  return (
    <section>
      <h1>Projects</h1>
      <ErrorBox error={error} />
      {items === undefined ? (
        <p class="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">No projects yet. Create one with <code>berth projects create</code> or POST /api/projects.</p>
      ) : (
        <ul class="cards" aria-label="Projects">
          {items.map((p) => (
            <li key={p.id} class="card">
              <div class="row">
                <a href={`#/projects/${encodeURIComponent(p.name)}`} class="strong">{p.name}</a>
                {p.currentDeployment ? <StatusBadge status={p.currentDeployment.status} label /> : <span class="muted small">no release serves it</span>}
              </div>
              <div class="row muted small">
                <a href={p.url} target="_blank" rel="noopener noreferrer">{p.url}</a>
                <span>{p.gitUrl ?? 'archive uploads'}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

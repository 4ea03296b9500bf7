import { useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { Deployment } from '@berth/client/types';
import { keys, useProject } from '../queries.ts';
import { ErrorBox, StatusBadge } from '../status-badge.tsx';
import { DomainsPanel, EnvPanel, ReplicasPanel } from './project-settings.tsx';

/** One project: its releases (which one serves the URL, promote / roll back), deploy, env names, domains. */
export function ProjectPage({ client, name }: { client: ApiClient; name: string }) {
  const { data: project, error: loadError } = useProject(client, name);
  const queries = useQueryClient();
  const [actionError, setError] = useState<unknown>();
  const error = actionError ?? loadError;
  const act = (action: () => Promise<unknown>) => () =>
    action().then(() => (setError(undefined), queries.invalidateQueries({ queryKey: keys.project(name) })), setError);

  return (
    <section>
      <p><a href="#/projects">← Projects</a></p>
      <div class="heading">
        <h1>{name}</h1>
        {project?.gitUrl && (
          <button type="button" onClick={() => client.deployProject(name).then((d) => (location.hash = `#/deployments/${d.id}`), setError)}>
            Deploy
          </button>
        )}
      </div>
      <ErrorBox error={error} />
      {project && (
        <>
          <dl class="summary">
            <dt>URL</dt>
            <dd><a href={project.url} target="_blank" rel="noopener noreferrer">{project.url}</a></dd>
            <dt>Source</dt>
            <dd>{project.gitUrl ? `${project.gitUrl}${project.ref ? `@${project.ref}` : ''}` : 'archive uploads'}</dd>
          </dl>
          <h2>Releases</h2>
          <Releases
            releases={project.releases ?? []}
            onPromote={(id) => act(() => client.promote(id))()}
            onRollback={(id) => act(() => client.rollback(name, id))()}
          />
          <ReplicasPanel client={client} project={project} />
          <EnvPanel client={client} name={name} />
          <DomainsPanel client={client} name={name} />
        </>
      )}
    </section>
  );
}

const rollbackable = new Set(['running', 'stopped', 'crashed']);

function Releases({ releases, onPromote, onRollback }: { releases: Deployment[]; onPromote: (id: string) => void; onRollback: (id: string) => void }) {
  if (releases.length === 0) return <p class="muted">No releases yet.</p>;
  return (
    <ul class="cards" aria-label="Releases">
      {releases.map((d) => (
        <li key={d.id} class="card">
          <div class="row">
            <a href={`#/deployments/${d.id}`} class="strong">{d.id}</a>
            <span class="badges">
              {d.current && <span class="badge s-current">serves the URL</span>}
              <StatusBadge status={d.status} label />
            </span>
          </div>
          <div class="row muted small">
            <span>
              <time dateTime={d.createdAt}>{new Date(d.createdAt).toLocaleString()}</time>
              {d.releaseOf && ` · rollback to ${d.releaseOf}`}
              {!d.promote && ' · preview'}
              {d.replicas > 1 && ` · ${d.replicas} replicas`}
            </span>
            <span class="actions">
              {d.status === 'running' && !d.current && (
                <button type="button" aria-label={`Promote ${d.id}`} onClick={() => onPromote(d.id)}>Promote</button>
              )}
              {!d.current && rollbackable.has(d.status) && (
                <button type="button" aria-label={`Roll back to ${d.id}`} onClick={() => onRollback(d.id)}>Rollback to this</button>
              )}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}

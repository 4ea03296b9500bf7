import { useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { Deployment, ProjectAccess } from '@berth/client/types';
import { allows, NotAllowed } from '../not-allowed.tsx';
import { LogSearchPanel } from '../project-log-search.tsx';
import { keys, useProject } from '../queries.ts';
import { RequestMetrics } from '../request-metrics.tsx';
import { ErrorBox, StatusBadge } from '../status-badge.tsx';
import { DomainsPanel, EnvPanel, ReplicasPanel } from './project-settings.tsx';
import { DrainsPanel } from './project-drains.tsx';
import { VolumesPanel } from '../project-volumes.tsx';
import { ProcessesPanel } from '../project-processes.tsx';
import { JobsPanel } from '../project-jobs.tsx';
import { RunsPanel } from '../project-runs.tsx';
import { ServicesPanel } from '../project-services.tsx';

/** One project: its releases (which one serves the URL, promote / roll back), its requests, deploy, processes, runs, jobs, volumes, services, env names, domains. */
export function ProjectPage({ client, name }: { client: ApiClient; name: string }) {
  const { data: project, error: loadError } = useProject(client, name);
  const access = project?.access;
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
        {project?.gitUrl && allows(access, 'deployment.create') && (
          <button type="button" onClick={() => client.deployProject(name).then((d) => (location.hash = `#/deployments/${d.id}`), setError)}>
            Deploy
          </button>
        )}
      </div>
      {project?.gitUrl && !allows(access, 'deployment.create') && <NotAllowed access={access} doing="deploying" needs="deployer" />}
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
          {(project.releases ?? []).length > 0 && !allows(access, 'deployment.promote') && (
            <NotAllowed access={access} doing="promoting and rolling back releases" needs="deployer" />
          )}
          <Releases
            releases={project.releases ?? []}
            onPromote={allows(access, 'deployment.promote') ? (id) => act(() => client.promote(id))() : undefined}
            onRollback={allows(access, 'deployment.rollback') ? (id) => act(() => client.rollback(name, id))() : undefined}
          />
          <RequestMetrics client={client} scope={{ project: name }} live={(project.releases ?? []).some((d) => d.status === 'running')} />
          <ReplicasPanel client={client} project={project} />
          <ProcessesPanel client={client} project={project} />
          <RunsPanel client={client} name={name} access={access} />
          <JobsPanel client={client} name={name} access={access} />
          <VolumesPanel client={client} name={name} access={access} />
          <ServicesPanel client={client} name={name} access={access} />
          <EnvPanel client={client} name={name} access={access} />
          <DomainsPanel client={client} name={name} access={access} />
          <DrainsPanel client={client} name={name} access={access} />
          <LogSearchPanel client={client} name={name} access={access} />
          <PeopleLinks name={name} access={access} />
        </>
      )}
    </section>
  );
}

const rollbackable = new Set(['running', 'stopped', 'crashed']);

/** The release list; Promote and Rollback only when the caller may (their handlers are given). */
function Releases({ releases, onPromote, onRollback }: { releases: Deployment[]; onPromote?: (id: string) => void; onRollback?: (id: string) => void }) {
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
              {onPromote && d.status === 'running' && !d.current && (
                <button type="button" aria-label={`Promote ${d.id}`} onClick={() => onPromote(d.id)}>Promote</button>
              )}
              {onRollback && !d.current && rollbackable.has(d.status) && (
                <button type="button" aria-label={`Roll back to ${d.id}`} onClick={() => onRollback(d.id)}>Rollback to this</button>
              )}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Who may do what here (admins), and what was done (the project's audit rows). */
function PeopleLinks({ name, access }: { name: string; access: ProjectAccess | undefined }) {
  const path = encodeURIComponent(name);
  return (
    <>
      <h2>People</h2>
      {allows(access, 'project.members.read') ? (
        <p class="actions">
          <a href={`#/projects/${path}/members`}>Members</a>
          {allows(access, 'project.audit.read') && <a href={`#/audit?project=${path}`}>Audit log</a>}
        </p>
      ) : (
        <NotAllowed access={access} doing="seeing and managing members" needs="admin" />
      )}
    </>
  );
}

import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { Project } from '@berth/client/types';
import { allows, NotAllowed } from './not-allowed.tsx';
import { keys } from './queries.ts';
import { ReplicasControl } from './replicas-control.tsx';
import { scaleProcess, type ProjectProcess } from './resources-api.ts';

/** The current release's process types (berth.json `processes`, a Procfile) and how many of each run; web scales with Replicas. */
export function ProcessesPanel({ client, project }: { client: ApiClient; project: Project }) {
  const queries = useQueryClient();
  const mayScale = allows(project.access, 'project.settings.update');
  const scale = (type: string, count: number) =>
    scaleProcess(client, project.name, type, count).then((p) => queries.setQueryData(keys.project(project.name), p));
  const processes = project.processes;
  return (
    <section aria-label="Processes">
      <h2>Processes</h2>
      {processes.length === 0 ? (
        <p class="muted">No release runs yet.</p>
      ) : (
        <ul class="plain wide" aria-label="Processes">
          {processes.map((p) => (
            <li key={p.type} class="row">
              <ProcessSummary process={p} />
              {p.type === 'web' ? (
                <span class="muted small">scales with Replicas</span>
              ) : (
                mayScale && <ReplicasControl value={p.count} what={p.type} label="Count" min={0} onScale={(n) => scale(p.type, n)} />
              )}
            </li>
          ))}
        </ul>
      )}
      {!mayScale && processes.length > 1 && <NotAllowed access={project.access} doing="scaling processes" needs="admin" />}
    </section>
  );
}

function ProcessSummary({ process: p }: { process: ProjectProcess }) {
  return (
    <span>
      <strong>{p.type}</strong> <span class="muted small">× {p.count} · {p.state}</span>
      <br />
      <code class="small">{p.command ?? "the image's own command"}</code>
    </span>
  );
}

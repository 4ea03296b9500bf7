import { useState } from 'preact/hooks';
import { useQuery, useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { ProjectAccess } from '@berth/client/types';
import { JobForm } from './job-form.tsx';
import { allows, NotAllowed } from './not-allowed.tsx';
import { keys } from './queries.ts';
import { addJob, listJobRuns, listJobs, removeJob, runJobNow, updateJob, type Job, type NewJob } from './resources-api.ts';
import { ErrorBox, RunBadge } from './status-badge.tsx';

/** Scheduled jobs: a command on a cron schedule in the current release; each tick a run, listed under its job. */
export function JobsPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const mayChange = allows(access, 'project.settings.update');
  const mayRun = allows(access, 'project.runs.start');
  const queries = useQueryClient();
  const { data, error: loadError } = useQuery({ queryKey: keys.jobs(name), queryFn: () => listJobs(client, name) });
  const [actionError, setError] = useState<unknown>();
  const [editing, setEditing] = useState<string>();
  const load = () => (setError(undefined), queries.invalidateQueries({ queryKey: keys.jobs(name) }), queries.invalidateQueries({ queryKey: ['job-runs', name] }));
  const saved = (p: Promise<unknown>) => p.then(() => (setEditing(undefined), load(), true), (err) => (setError(err), false));
  const items = data?.items;

  const actions = {
    edit: mayChange ? (job: Job) => setEditing(job.name) : undefined,
    remove: mayChange ? (job: Job) => confirm(`Delete job ${job.name} and its runs?`) && removeJob(client, name, job.name).then(load, setError) : undefined,
    runNow: mayRun ? (job: Job) => runJobNow(client, name, job.name).then(() => (load(), queries.invalidateQueries({ queryKey: keys.runs(name) })), setError) : undefined,
  };
  const change = (job: Job) => ({ name: _ignored, ...fields }: NewJob) => saved(updateJob(client, name, job.name, fields));
  return (
    <section aria-label="Jobs">
      <h2>Jobs</h2>
      <p class="muted small">Cron: 5 fields (minute hour day month weekday), or 6 with seconds first; read in the timezone given (UTC by default).</p>
      <ErrorBox error={actionError ?? loadError} />
      <ul class="cards" aria-label="Jobs" hidden={!items?.length}>
        {items?.map((job) =>
          editing === job.name ? (
            <li key={job.name} class="card"><JobForm job={job} onSave={change(job)} onCancel={() => setEditing(undefined)} /></li>
          ) : (
            <JobCard key={job.name} client={client} project={name} job={job} {...actions} />
          ),
        )}
      </ul>
      {items?.length === 0 && <p class="muted">No jobs.</p>}
      {mayChange ? <JobForm onSave={(fields) => saved(addJob(client, name, fields))} /> : <NotAllowed access={access} doing="changing the jobs" needs="admin" />}
    </section>
  );
}

interface JobCardProps {
  client: ApiClient;
  project: string;
  job: Job;
  edit: ((job: Job) => void) | undefined;
  remove: ((job: Job) => unknown) | undefined;
  runNow: ((job: Job) => unknown) | undefined;
}

/** One job: its schedule, next tick and its last runs; Run now, Edit, Delete for those who may. */
function JobCard({ client, project, job, edit, remove, runNow }: JobCardProps) {
  const { data } = useQuery({ queryKey: keys.jobRuns(project, job.name), queryFn: () => listJobRuns(client, project, job.name), refetchInterval: 5_000 });
  const last = data?.items.slice(0, 5) ?? [];
  return (
    <li class="card" aria-label={`Job ${job.name}`}>
      <div class="row">
        <span>
          <strong>{job.name}</strong> <code>{job.schedule}</code> <span class="muted small">{job.timezone ?? 'UTC'}</span>
        </span>
        <span class="actions">
          {runNow && <button type="button" aria-label={`Run ${job.name} now`} onClick={() => runNow(job)}>Run now</button>}
          {edit && <button type="button" class="quiet" aria-label={`Edit job ${job.name}`} onClick={() => edit(job)}>Edit</button>}
          {remove && <button type="button" class="quiet" aria-label={`Delete job ${job.name}`} onClick={() => remove(job)}>Delete</button>}
        </span>
      </div>
      <div class="muted small">
        <code>{job.command}</code> · timeout {job.timeoutSeconds} s · next run <time dateTime={job.nextRunAt}>{new Date(job.nextRunAt).toLocaleString()}</time>
      </div>
      {last.length > 0 ? (
        <ol class="plain runs-inline" aria-label={`Last runs of ${job.name}`}>
          {last.map((r) => (
            <li key={r.id} class="small">
              <RunBadge status={r.status} /> <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString()}</time>
              {r.exitCode !== null && ` · exit ${r.exitCode}`}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted small">No runs yet.</p>
      )}
    </li>
  );
}

import { useState } from 'preact/hooks';
import { useQuery, useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { ProjectAccess, Run } from '@berth/client/types';
import { allows, NotAllowed } from './not-allowed.tsx';
import { keys } from './queries.ts';
import { listRuns } from './resources-api.ts';
import { RunOutput } from './run-output.tsx';
import { ErrorBox, RunBadge } from './status-badge.tsx';

/** One-off runs: a command once in the current release (its image, env, volumes); its output live, then its exit code. */
export function RunsPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const mayRun = allows(access, 'project.runs.start');
  const mayRead = allows(access, 'project.logs.read');
  const queries = useQueryClient();
  const { data, error: loadError } = useQuery({ queryKey: keys.runs(name), queryFn: () => listRuns(client, name), refetchInterval: 10_000 });
  const [actionError, setError] = useState<unknown>();
  const [command, setCommand] = useState('');
  const [shown, setShown] = useState<Run>();
  const [starting, setStarting] = useState(false);
  const recent = data?.items.slice(0, 10);

  const submit = (e: Event) => {
    e.preventDefault();
    setStarting(true);
    client
      .startRun(name, command)
      .then((run) => (setError(undefined), setShown(run), setCommand(''), queries.invalidateQueries({ queryKey: keys.runs(name) })), setError)
      .finally(() => setStarting(false));
  };
  return (
    <section aria-label="Runs">
      <h2>Runs</h2>
      <p class="muted small">A command once in the release serving the URL, with its env and volumes (migrations, one-off scripts).</p>
      {mayRun ? (
        <form class="inline" aria-label="Start a run" onSubmit={submit}>
          <label>Command <input value={command} onInput={(e) => setCommand(e.currentTarget.value)} required placeholder="npm run migrate" size={28} /></label>
          <button type="submit" disabled={starting}>Run</button>
        </form>
      ) : (
        <NotAllowed access={access} doing="starting runs" needs="deployer" />
      )}
      <ErrorBox error={actionError ?? loadError} />
      {shown && mayRead && <RunOutput key={shown.id} client={client} project={name} run={shown} />}
      {recent && recent.length > 0 && (
        <ul class="plain wide" aria-label="Recent runs">
          {recent.map((r) => (
            <li key={r.id} class="row">
              <span class="run-summary">
                <RunBadge status={r.status} /> <code>{r.command}</code>
                <span class="muted small">
                  {' '}
                  {r.kind === 'job' ? 'job · ' : ''}
                  <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString()}</time>
                  {r.exitCode !== null && ` · exit ${r.exitCode}`}
                </span>
              </span>
              {mayRead && <button type="button" class="quiet" aria-label={`Output of run ${r.id}`} onClick={() => setShown(r)}>Output</button>}
            </li>
          ))}
        </ul>
      )}
      {recent?.length === 0 && <p class="muted">No runs yet.</p>}
    </section>
  );
}

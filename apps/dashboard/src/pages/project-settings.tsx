import { useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { EnvKeys, Project, ProjectAccess } from '@berth/client/types';
import { allows, NotAllowed } from '../not-allowed.tsx';
import { ReplicasControl } from '../replicas-control.tsx';
import { keys, useDomains, useEnvKeys } from '../queries.ts';
import { ErrorBox } from '../status-badge.tsx';

/** Runtime env: names listed, values set or unset, never shown back. Takes effect on the next release. */
export function EnvPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const mayChange = allows(access, 'project.env.update');
  const queries = useQueryClient();
  const { data, error: loadError } = useEnvKeys(client, name);
  const [actionError, setError] = useState<unknown>();
  const error = actionError ?? loadError;
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  // The answer is the new list of names: it replaces the cached one.
  const done = (p: Promise<EnvKeys>) =>
    p.then(
      (r) => (queries.setQueryData(keys.env(name), r), setError(undefined), true),
      (err) => (setError(err), false),
    );
  const names = data?.envKeys;

  const submit = (e: Event) => {
    e.preventDefault();
    void done(client.patchEnv(name, { [key.trim()]: value })).then((ok) => ok && (setKey(''), setValue('')));
  };
  return (
    <>
      <h2>Environment</h2>
      <p class="muted small">Values are write-only; a change applies to the next release.</p>
      <ErrorBox error={error} />
      <ul class="plain" aria-label="Environment variables" hidden={!names?.length}>
        {names?.map((k) => (
          <li key={k} class="row">
            <code>{k}</code>
            {mayChange && <button type="button" class="quiet" aria-label={`Unset ${k}`} onClick={() => done(client.patchEnv(name, { [k]: null }))}>Unset</button>}
          </li>
        ))}
      </ul>
      {names?.length === 0 && <p class="muted">No variables.</p>}
      {mayChange ? (
        <form class="inline" onSubmit={submit}>
          <label>Variable name <input value={key} onInput={(e) => setKey(e.currentTarget.value)} required pattern="[A-Za-z_][A-Za-z0-9_]*" size={16} /></label>
          <label>Value <input type="password" autoComplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} size={16} /></label>
          <button type="submit">Set variable</button>
        </form>
      ) : (
        <NotAllowed access={access} doing="changing the environment" needs="admin" />
      )}
    </>
  );
}

/** Custom hostnames that also serve the project's current release, once verified (the TXT record to create shows while pending). */
export function DomainsPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const mayChange = allows(access, 'project.domains.update');
  const queries = useQueryClient();
  const { data, error: loadError } = useDomains(client, name);
  const [actionError, setError] = useState<unknown>();
  const error = actionError ?? loadError;
  const [hostname, setHostname] = useState('');
  const items = data?.items;
  const load = () => (setError(undefined), queries.invalidateQueries({ queryKey: keys.domains(name) }));

  const submit = (e: Event) => {
    e.preventDefault();
    client.addDomain(name, hostname.trim()).then(() => (setHostname(''), load()), setError);
  };
  return (
    <>
      <h2>Domains</h2>
      <ErrorBox error={error} />
      <ul class="plain" aria-label="Domains" hidden={!items?.length}>
        {items?.map((d) => (
          <li key={d.hostname} class="row">
            <a href={d.url} target="_blank" rel="noopener noreferrer">{d.hostname}</a>
            <span class="muted small">{d.status}</span>
            {d.verification && (
              <>
                <span class="small">TXT <code>{d.verification.name}</code> = <code>{d.verification.value}</code></span>
                {mayChange && <button type="button" aria-label={`Verify ${d.hostname}`} onClick={() => client.verifyDomain(name, d.hostname).then(load, setError)}>Verify</button>}
              </>
            )}
            {mayChange && <button type="button" class="quiet" aria-label={`Remove ${d.hostname}`} onClick={() => client.removeDomain(name, d.hostname).then(load, setError)}>Remove</button>}
          </li>
        ))}
      </ul>
      {items?.length === 0 && <p class="muted">No custom domains.</p>}
      {mayChange ? (
        <form class="inline" onSubmit={submit}>
          <label>Hostname <input value={hostname} onInput={(e) => setHostname(e.currentTarget.value)} required placeholder="shop.example.com" size={22} /></label>
          <button type="submit">Add domain</button>
        </form>
      ) : (
        <NotAllowed access={access} doing="changing the domains" needs="admin" />
      )}
    </>
  );
}

/** Copies of each release: new releases take the count, and the current release is scaled to it at once. */
export function ReplicasPanel({ client, project }: { client: ApiClient; project: Project }) {
  const queries = useQueryClient();
  const scale = (replicas: number) =>
    client.scaleProject(project.name, replicas).then((p) => queries.setQueryData(keys.project(project.name), p));
  return (
    <>
      <h2>Replicas</h2>
      <p class="muted small">Copies of each release (Swarm mode). A change scales the release serving the URL now, and new releases.</p>
      {allows(project.access, 'project.settings.update') ? (
        <ReplicasControl value={project.replicas} what={project.name} onScale={scale} />
      ) : (
        <>
          <p>{project.replicas === 1 ? 'One copy' : `${project.replicas} copies`}.</p>
          <NotAllowed access={project.access} doing="scaling the project" needs="admin" />
        </>
      )}
    </>
  );
}

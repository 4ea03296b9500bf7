import { useState } from 'preact/hooks';
import { useQuery, useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { ProjectAccess } from '@berth/client/types';
import { allows, NotAllowed } from './not-allowed.tsx';
import { keys } from './queries.ts';
import { addVolume, formatBytes, listVolumes, removeVolume } from './resources-api.ts';
import { ErrorBox } from './status-badge.tsx';

/** Named volumes mounted into every production release (kept across releases); the API refuses deleting one still mounted. */
export function VolumesPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const mayChange = allows(access, 'project.settings.update');
  const queries = useQueryClient();
  const { data, error: loadError } = useQuery({ queryKey: keys.volumes(name), queryFn: () => listVolumes(client, name) });
  const [actionError, setError] = useState<unknown>();
  // The volume a delete was refused for while mounted: the one a forced delete is offered for.
  const [inUse, setInUse] = useState<string>();
  const [volume, setVolume] = useState('');
  const [mountPath, setMountPath] = useState('');
  const load = () => (setError(undefined), setInUse(undefined), queries.invalidateQueries({ queryKey: keys.volumes(name) }));
  const items = data?.items;

  const remove = (volumeName: string, force: boolean) => {
    if (force && !confirm(`Delete volume ${volumeName} although a running release mounts it? Its data goes once no container uses it.`)) return;
    removeVolume(client, name, volumeName, force).then(load, (err: { code?: string }) => (setError(err), setInUse(err.code === 'VOLUME_IN_USE' ? volumeName : undefined)));
  };
  const submit = (e: Event) => {
    e.preventDefault();
    addVolume(client, name, volume.trim(), mountPath.trim()).then(() => (setVolume(''), setMountPath(''), load()), setError);
  };
  return (
    <section aria-label="Volumes">
      <h2>Volumes</h2>
      <p class="muted small">Mounted into every production release from the next one; kept across releases and rollbacks.</p>
      <ErrorBox error={actionError ?? loadError} />
      {inUse && mayChange && (
        <p class="actions">
          <button type="button" class="danger" onClick={() => remove(inUse, true)}>Delete volume {inUse} anyway (force)</button>
        </p>
      )}
      <ul class="plain wide" aria-label="Volumes" hidden={!items?.length}>
        {items?.map((v) => (
          <li key={v.name} class="row">
            <span><strong>{v.name}</strong> <code>{v.mountPath}</code></span>
            <span class="muted small">{formatBytes(v.bytesUsed)}</span>
            {mayChange && <button type="button" class="quiet" aria-label={`Delete volume ${v.name}`} onClick={() => remove(v.name, false)}>Delete</button>}
          </li>
        ))}
      </ul>
      {items?.length === 0 && <p class="muted">No volumes.</p>}
      {mayChange ? (
        <form class="inline" aria-label="Add volume" onSubmit={submit}>
          <label>Volume name <input value={volume} onInput={(e) => setVolume(e.currentTarget.value)} required size={12} /></label>
          <label>Mount path <input value={mountPath} onInput={(e) => setMountPath(e.currentTarget.value)} required placeholder="/data" size={16} /></label>
          <button type="submit">Add volume</button>
        </form>
      ) : (
        <NotAllowed access={access} doing="changing the volumes" needs="admin" />
      )}
    </section>
  );
}

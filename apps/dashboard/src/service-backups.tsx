import { useState } from 'preact/hooks';
import { useQuery, useQueryClient } from '@tanstack/preact-query';
import { seg, type ApiClient } from '@berth/client/api-client';
import type { ProjectAccess, ServiceBackup } from '@berth/client/types';
import { allows } from './not-allowed.tsx';
import { keys } from './queries.ts';
import { formatBytes } from './resources-api.ts';
import { ErrorBox } from './status-badge.tsx';

/**
 * A service's backups and restores (docs/services.md#backups), newest first: one taken now
 * (deployers), a finished one restored into the service after a confirm, or into a new service
 * named in a prompt (admins). A failure shows
 * its code and sentence; the tool's output (it may quote rows) only when the API sends it (admins).
 */
export function ServiceBackups({ client, project, service, access }: { client: ApiClient; project: string; service: string; access: ProjectAccess | undefined }) {
  const path = `/api/projects/${seg(project)}/services/${seg(service)}/backups`;
  const key = [...keys.services(project), service, 'backups'];
  const queries = useQueryClient();
  // The workers move a backup from queued to its end: look again now and then.
  const { data, error: loadError } = useQuery({ queryKey: key, queryFn: () => client.request<{ items: ServiceBackup[] }>('GET', path), refetchInterval: 5_000 });
  const [actionError, setError] = useState<unknown>();
  const reload = () => (setError(undefined), queries.invalidateQueries({ queryKey: key }));
  const take = () => client.request('POST', path).then(reload, setError);
  const restore = (b: ServiceBackup) => {
    const asked = `Restore backup ${b.id} (${new Date(b.createdAt).toLocaleString()}) into ${service}? Its data is replaced by the backup's.`;
    if (confirm(asked)) client.request('POST', `${path}/${seg(b.id)}/restore`).then(reload, setError);
  };
  // Into a new service of the project (the API makes it): the name asked, the original left as it is.
  const restoreInto = (b: ServiceBackup) => {
    const into = prompt(`Restore backup ${b.id} into a new service named (${service} is left as it is):`, `${service}-restored`);
    if (into) client.request('POST', `${path}/${seg(b.id)}/restore`, { into }).then(() => (reload(), queries.invalidateQueries({ queryKey: keys.services(project) })), setError);
  };
  const mayRestore = allows(access, 'project.backups.restore');
  const items = data?.items;
  return (
    <div class="backups" role="region" aria-label={`Backups of ${service}`}>
      <div class="row">
        <strong class="small">Backups</strong>
        {allows(access, 'project.backups.create') && <button type="button" class="quiet" aria-label={`Back up ${service} now`} onClick={() => void take()}>Back up now</button>}
      </div>
      <ErrorBox error={actionError ?? loadError} />
      {items?.length === 0 && <p class="muted small">No backups yet.</p>}
      <ul class="plain small" aria-label={`Backups of ${service}`} hidden={!items?.length}>
        {items?.map((b) => (
          <li key={b.id} aria-label={`Backup ${b.id}`}>
            <span class={`badge s-${b.status}`}>{b.status}</span> {b.kind === 'restore' ? `restore of ${b.backupId}` : b.id} · <time dateTime={b.createdAt}>{new Date(b.createdAt).toLocaleString()}</time>
            {b.bytes !== null && ` · ${formatBytes(b.bytes)}`}
            {b.errorCode && <span class="error"> · {b.errorCode}: {b.errorMessage}</span>}
            {b.errorDetail && <pre class="small">{b.errorDetail}</pre>}
            {mayRestore && b.kind === 'backup' && b.status === 'succeeded' && (
              <>
                <button type="button" class="quiet" aria-label={`Restore backup ${b.id}`} onClick={() => restore(b)}>Restore</button>
                <button type="button" class="quiet" aria-label={`Restore backup ${b.id} into a new service`} onClick={() => restoreInto(b)}>Restore into new…</button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

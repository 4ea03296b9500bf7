import { useState } from 'preact/hooks';
import { useQuery, useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { LogDrain, ProjectAccess } from '@berth/client/types';
import { allows } from '../not-allowed.tsx';
import { ErrorBox } from '../status-badge.tsx';

const drainsPath = (name: string) => `/api/projects/${encodeURIComponent(name)}/drains`;
const drainsKey = (name: string) => ['drains', name] as const;

/** A drain's state changes without an event (its worker's batches): read again while the page is open. */
const refreshMs = 15_000;

/** The project's log drains (docs/drains.md): where each sends, and a paused one with its last error and a Resume button. */
export function DrainsPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const queries = useQueryClient();
  const { data, error: loadError } = useQuery({
    queryKey: drainsKey(name),
    queryFn: () => client.request<{ items: LogDrain[] }>('GET', drainsPath(name)),
    refetchInterval: refreshMs,
  });
  const [actionError, setError] = useState<unknown>();
  const mayResume = allows(access, 'project.drains.update');
  const resume = (id: string) =>
    client.request('POST', `${drainsPath(name)}/${encodeURIComponent(id)}/resume`).then(() => (setError(undefined), queries.invalidateQueries({ queryKey: drainsKey(name) })), setError);
  const items = data?.items;
  return (
    <>
      <h2>Log drains</h2>
      <ErrorBox error={actionError ?? loadError} />
      <ul class="plain" aria-label="Log drains" hidden={!items?.length}>
        {items?.map((d) => (
          <li key={d.id} class="row">
            <code>{d.url}</code>
            <span class={d.status === 'paused' ? 'small error' : 'muted small'}>{d.status === 'paused' ? `paused: ${d.lastError ?? 'failing'}` : d.status}</span>
            {d.status === 'paused' && mayResume && <button type="button" aria-label={`Resume ${d.url}`} onClick={() => resume(d.id)}>Resume</button>}
          </li>
        ))}
      </ul>
      {items?.length === 0 && <p class="muted">No log drains (add one with the API: docs/drains.md).</p>}
    </>
  );
}

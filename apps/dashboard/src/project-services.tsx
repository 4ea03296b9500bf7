import { useState } from 'preact/hooks';
import { useQuery, useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { AddServiceRequest, ProjectAccess, Service } from '@berth/client/types';
import { allows, NotAllowed } from './not-allowed.tsx';
import { keys } from './queries.ts';
import { formatBytes } from './resources-api.ts';
import { ServiceBackups } from './service-backups.tsx';
import { ErrorBox } from './status-badge.tsx';

/** Managed Postgres and Redis, private to the project; its apps get the URL in a variable (the password is in it, never shown here). */
export function ServicesPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const mayChange = allows(access, 'project.settings.update');
  const queries = useQueryClient();
  // The workers move a service's status (creating, running, restarting…): look again now and then.
  const { data, error: loadError } = useQuery({ queryKey: keys.services(name), queryFn: () => client.listServices(name), refetchInterval: 5_000 });
  const [actionError, setError] = useState<unknown>();
  const load = () => (setError(undefined), queries.invalidateQueries({ queryKey: keys.services(name) }));
  const items = data?.items;

  const remove = (service: Service, deleteData: boolean) => {
    const asked = deleteData
      ? `Delete service ${service.name} AND its data (volume ${service.dataVolume})? This cannot be undone.`
      : `Delete service ${service.name}? Its data volume ${service.dataVolume} is kept.`;
    if (confirm(asked)) client.removeService(name, service.name, deleteData).then(load, setError);
  };
  return (
    <section aria-label="Services">
      <h2>Services</h2>
      <p class="muted small">Postgres and Redis on the project's own network; its releases get the URL from their next deploy.</p>
      <ErrorBox error={actionError ?? loadError} />
      <ul class="cards" aria-label="Services" hidden={!items?.length}>
        {items?.map((s) => (
          <li key={s.name} class="card" aria-label={`Service ${s.name}`}>
            <div class="row">
              <span><strong>{s.name}</strong> <span class="muted small">{s.type} {s.version}</span></span>
              <span class={`badge s-${s.status}`} aria-label={`Service status: ${s.status}`}>{s.status}</span>
            </div>
            <div class="row muted small">
              <span>
                <code>{s.envName}</code> · {formatBytes(s.bytesUsed)}
                {s.restarts > 0 && ` · ${s.restarts} restarts`}
                {s.previews && ' · previews too'}
                {s.statusMessage && ` · ${s.statusMessage}`}
              </span>
              {mayChange && s.status !== 'deleting' && (
                <span class="actions">
                  <button type="button" class="quiet" aria-label={`Delete service ${s.name}`} onClick={() => remove(s, false)}>Delete</button>
                  <button type="button" class="quiet" aria-label={`Delete service ${s.name} and its data`} onClick={() => remove(s, true)}>Delete with data</button>
                </span>
              )}
            </div>
            {s.status !== 'deleting' && <ServiceBackups client={client} project={name} service={s.name} access={access} />}
          </li>
        ))}
      </ul>
      {items?.length === 0 && <p class="muted">No services.</p>}
      {mayChange ? <ServiceForm onAdd={(body) => client.addService(name, body).then(() => (load(), true), (err) => (setError(err), false))} /> : <NotAllowed access={access} doing="changing the services" needs="admin" />}
    </section>
  );
}

function ServiceForm({ onAdd }: { onAdd: (body: AddServiceRequest) => Promise<boolean> }) {
  const [type, setType] = useState<'postgres' | 'redis'>('postgres');
  const [serviceName, setServiceName] = useState('');
  const [version, setVersion] = useState('');
  const [envName, setEnvName] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const body: AddServiceRequest = { type };
    if (serviceName.trim()) body.name = serviceName.trim();
    if (version.trim()) body.version = version.trim();
    if (envName.trim()) body.envName = envName.trim();
    void onAdd(body).then((added) => added && (setServiceName(''), setVersion(''), setEnvName('')));
  };
  return (
    <form class="inline" aria-label="Add service" onSubmit={submit}>
      <label>Type
        <select value={type} onChange={(e) => setType(e.currentTarget.value as 'postgres' | 'redis')}>
          <option value="postgres">Postgres</option>
          <option value="redis">Redis</option>
        </select>
      </label>
      <label>Service name <input value={serviceName} onInput={(e) => setServiceName(e.currentTarget.value)} placeholder={type} size={12} /></label>
      <label>Version <input value={version} onInput={(e) => setVersion(e.currentTarget.value)} placeholder="default" size={6} /></label>
      <label>Variable <input value={envName} onInput={(e) => setEnvName(e.currentTarget.value)} placeholder={type === 'postgres' ? 'DATABASE_URL' : 'REDIS_URL'} size={14} /></label>
      <button type="submit">Add service</button>
    </form>
  );
}

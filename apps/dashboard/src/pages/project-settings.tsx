import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import type { Domain } from '@berth/client/types';
import { ErrorBox } from '../status-badge.tsx';

/** Runtime env: names listed, values set or unset, never shown back. Takes effect on the next release. */
export function EnvPanel({ client, name }: { client: ApiClient; name: string }) {
  const [keys, setKeys] = useState<string[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const done = (p: Promise<{ envKeys: string[] }>) => p.then((r) => (setKeys(r.envKeys), setError(undefined)), setError);
  useEffect(() => void done(client.getEnvKeys(name)), [name]);

  const submit = (e: Event) => {
    e.preventDefault();
    done(client.patchEnv(name, { [key.trim()]: value })).then(() => (setKey(''), setValue('')));
  };
  return (
    <>
      <h2>Environment</h2>
      <p class="muted small">Values are write-only; a change applies to the next release.</p>
      <ErrorBox error={error} />
      <ul class="plain" aria-label="Environment variables">
        {keys?.map((k) => (
          <li key={k} class="row">
            <code>{k}</code>
            <button type="button" class="quiet" aria-label={`Unset ${k}`} onClick={() => done(client.patchEnv(name, { [k]: null }))}>Unset</button>
          </li>
        ))}
      </ul>
      {keys?.length === 0 && <p class="muted">No variables.</p>}
      <form class="inline" onSubmit={submit}>
        <label>Variable name <input value={key} onInput={(e) => setKey(e.currentTarget.value)} required pattern="[A-Za-z_][A-Za-z0-9_]*" size={16} /></label>
        <label>Value <input type="password" autoComplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} size={16} /></label>
        <button type="submit">Set variable</button>
      </form>
    </>
  );
}

/** Custom hostnames that also serve the project's current release. */
export function DomainsPanel({ client, name }: { client: ApiClient; name: string }) {
  const [items, setItems] = useState<Domain[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [hostname, setHostname] = useState('');
  const load = () => client.listDomains(name).then((r) => (setItems(r.items), setError(undefined)), setError);
  useEffect(() => void load(), [name]);

  const submit = (e: Event) => {
    e.preventDefault();
    client.addDomain(name, hostname.trim()).then(() => (setHostname(''), load()), setError);
  };
  return (
    <>
      <h2>Domains</h2>
      <ErrorBox error={error} />
      <ul class="plain" aria-label="Domains">
        {items?.map((d) => (
          <li key={d.hostname} class="row">
            <a href={d.url} target="_blank" rel="noopener noreferrer">{d.hostname}</a>
            <button type="button" class="quiet" aria-label={`Remove ${d.hostname}`} onClick={() => client.removeDomain(name, d.hostname).then(load, setError)}>Remove</button>
          </li>
        ))}
      </ul>
      {items?.length === 0 && <p class="muted">No custom domains.</p>}
      <form class="inline" onSubmit={submit}>
        <label>Hostname <input value={hostname} onInput={(e) => setHostname(e.currentTarget.value)} required placeholder="shop.example.com" size={22} /></label>
        <button type="submit">Add domain</button>
      </form>
    </>
  );
}

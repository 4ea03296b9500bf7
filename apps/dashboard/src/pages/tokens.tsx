import { useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import { ApiError, type ApiClient } from '@berth/client/api-client';
import type { CreatedToken, CreateTokenRequest, TokenInfo } from '@berth/client/types';
import { NotAllowedPage } from '../not-allowed.tsx';
import { createToken, revokeToken } from '../people-api.ts';
import { keys, useTokens } from '../queries.ts';
import { ErrorBox } from '../status-badge.tsx';

const scopes: CreateTokenRequest['scope'][] = ['read', 'deploy', 'admin'];
const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);

/** Personal access tokens: never more than their owner, limited to projects if asked; the secret is shown once. */
export function TokensPage({ client, userId }: { client: ApiClient; userId: string | undefined }) {
  const queries = useQueryClient();
  const { data, error: loadError } = useTokens(client);
  const [actionError, setError] = useState<unknown>();
  const [created, setCreated] = useState<CreatedToken>();
  const reload = () => (setError(undefined), queries.invalidateQueries({ queryKey: keys.tokens() }));
  const refused = loadError instanceof ApiError && loadError.status === 403 ? loadError.message : undefined;

  const create = (body: CreateTokenRequest) =>
    createToken(client, body).then((t) => (setCreated(t), void reload(), true), (err: unknown) => (setError(err), false));
  return (
    <section>
      <h1>API tokens</h1>
      <p class="muted small">For scripts and the CLI: a token never does more than you may, and only in the projects it lists.</p>
      {refused ? <NotAllowedPage reason={refused} /> : <ErrorBox error={actionError ?? loadError} />}
      {created && <NewSecret token={created} onDone={() => setCreated(undefined)} />}
      {data && data.items.length === 0 && <p class="muted">No tokens yet.</p>}
      {data && data.items.length > 0 && (
        <div class="scroll">
          <table class="grid" aria-label="Tokens">
            <thead>
              <tr><th>Name</th><th>Scope</th><th>Projects</th><th>Expires</th><th>Last used</th><th>Whose</th><th><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <TokenRow key={t.id} token={t} userId={userId} onRevoke={() => revokeToken(client, t.id).then(reload, setError)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!refused && <CreateToken onCreate={create} />}
    </section>
  );
}

function TokenRow({ token: t, userId, onRevoke }: { token: TokenInfo; userId: string | undefined; onRevoke: () => void }) {
  const whose = t.ownerUserId === null ? 'instance' : t.ownerUserId === userId ? 'yours' : t.ownerUserId;
  return (
    <tr class={t.revokedAt ? 'muted' : undefined}>
      <td class="strong">{t.name}</td>
      <td>{t.scope}</td>
      <td>{t.projects ? t.projects.join(', ') : 'all yours'}</td>
      <td>{when(t.expiresAt, 'never')}</td>
      <td>{when(t.lastUsedAt, 'never')}</td>
      <td>{whose}</td>
      <td>
        {t.revokedAt ? (
          <span>revoked</span>
        ) : (
          <button type="button" class="quiet" aria-label={`Revoke ${t.name}`} onClick={onRevoke}>Revoke</button>
        )}
      </td>
    </tr>
  );
}

/** The one time the secret is shown: copy it now. */
function NewSecret({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  return (
    <div class="card secret" role="status" aria-label="New token">
      <p class="strong">Token “{token.name}” made. Copy it now: it is not shown again.</p>
      <p><code class="secret-value">{token.token}</code></p>
      <div class="actions">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(token.token)}>Copy</button>
        <button type="button" class="quiet" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

function CreateToken({ onCreate }: { onCreate: (body: CreateTokenRequest) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<CreateTokenRequest['scope']>('deploy');
  const [projects, setProjects] = useState('');
  const [expires, setExpires] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const listed = projects.split(',').map((p) => p.trim()).filter(Boolean);
    // A date means the end of that day, here.
    const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
    void onCreate({ name: name.trim(), scope, ...(listed.length ? { projects: listed } : {}), ...(expiresAt ? { expiresAt } : {}) }).then(
      (ok) => ok && (setName(''), setProjects(''), setExpires('')),
    );
  };
  return (
    <>
      <h2>New token</h2>
      <form class="inline" onSubmit={submit}>
        <label>Token name <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} size={16} /></label>
        <label>Scope
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as CreateTokenRequest['scope'])}>
            {scopes.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Only projects <input value={projects} onInput={(e) => setProjects(e.currentTarget.value)} placeholder="all (or a, b)" size={16} /></label>
        <label>Expires <input type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} /></label>
        <button type="submit">Create token</button>
      </form>
    </>
  );
}

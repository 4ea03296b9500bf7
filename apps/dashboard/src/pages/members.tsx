import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useQueryClient } from '@tanstack/preact-query';
import type { ApiClient } from '@berth/client/api-client';
import type { Member, MemberRole } from '@berth/client/types';
import { allows, NotAllowed } from '../not-allowed.tsx';
import { addMember, changeMemberRole, removeMember } from '../people-api.ts';
import { keys, useMembers, useProject } from '../queries.ts';
import { ErrorBox } from '../status-badge.tsx';

const roles: MemberRole[] = ['admin', 'deployer', 'viewer'];
const roleNote: Record<MemberRole, string> = {
  admin: 'settings, env, domains, webhooks, members, delete',
  deployer: 'deploy, promote, roll back, stop, scale',
  viewer: 'status, logs, releases',
};

/** Who may do what in one project: the list, a person added by email, a role changed, a member removed. */
export function MembersPage({ client, name }: { client: ApiClient; name: string }) {
  const { data: project, error: projectError } = useProject(client, name);
  const access = project?.access;
  const mayRead = allows(access, 'project.members.read');
  const mayChange = allows(access, 'project.members.update');
  const { data, error: loadError } = useMembers(client, name, mayRead);
  const queries = useQueryClient();
  const [actionError, setError] = useState<unknown>();
  const reload = () => (setError(undefined), queries.invalidateQueries({ queryKey: keys.members(name) }));
  const act = (action: Promise<unknown>) => action.then(() => (void reload(), true), (err: unknown) => (setError(err), false));

  return (
    <section>
      <p><a href={`#/projects/${encodeURIComponent(name)}`}>← {name}</a></p>
      <h1>Members of {name}</h1>
      <ErrorBox error={actionError ?? loadError ?? projectError} />
      {project && !mayRead && <NotAllowed access={access} doing="seeing and managing members" needs="admin" />}
      {data && (
        <div class="scroll">
          <table class="grid" aria-label="Members">
            <thead>
              <tr><th>Email</th><th>Role</th><th>Added</th><th><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <MemberRow key={m.userId} member={m} mayChange={mayChange}
                  onRole={(role) => act(changeMemberRole(client, name, m.userId, role))}
                  onRemove={() => act(removeMember(client, name, m.userId))} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (mayChange ? <AddMember onAdd={(email, role) => act(addMember(client, name, email, role))} /> : <NotAllowed access={access} doing="adding and changing members" needs="admin" />)}
      <dl class="summary small muted">
        {roles.map((r) => (<Fragment key={r}><dt>{r}</dt><dd>{roleNote[r]}</dd></Fragment>))}
      </dl>
    </section>
  );
}

function MemberRow({ member, mayChange, onRole, onRemove }: { member: Member; mayChange: boolean; onRole: (role: MemberRole) => void; onRemove: () => void }) {
  return (
    <tr>
      <td>{member.email}</td>
      <td>
        {mayChange ? (
          <select aria-label={`Role of ${member.email}`} value={member.role} onChange={(e) => onRole(e.currentTarget.value as MemberRole)}>
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        ) : (
          member.role
        )}
      </td>
      <td><time dateTime={member.createdAt}>{new Date(member.createdAt).toLocaleDateString()}</time></td>
      <td>{mayChange && <button type="button" class="quiet" aria-label={`Remove ${member.email}`} onClick={onRemove}>Remove</button>}</td>
    </tr>
  );
}

/** A person with an account (an owner invites people first), by email, with a role. */
function AddMember({ onAdd }: { onAdd: (email: string, role: MemberRole) => Promise<boolean> }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('viewer');
  const submit = (e: Event) => {
    e.preventDefault();
    void onAdd(email.trim(), role).then((added) => added && setEmail(''));
  };
  return (
    <>
      <h2>Add a member</h2>
      <p class="muted small">Someone with an account on this Berth: an owner invites people first (<code>POST /api/users</code>).</p>
      <form class="inline" onSubmit={submit}>
        <label>Email <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} size={26} /></label>
        <label>Role
          <select aria-label="Role for the new member" value={role} onChange={(e) => setRole(e.currentTarget.value as MemberRole)}>
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit">Add member</button>
      </form>
    </>
  );
}

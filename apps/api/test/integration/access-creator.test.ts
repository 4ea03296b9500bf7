import type { FastifyRequest } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { MemberStore } from '@berth/shared/accounts/member-store';
import { sessionCaller } from '@berth/shared/accounts/principal';
import { UserStore } from '@berth/shared/accounts/user-store';
import { claimNewProject } from '../../src/access/creator.ts';

// The moment after a deploy made a project (apps/api/src/routes/deployments.ts): who may keep it, on real Postgres.
const database = databaseForFile();
let members: MemberStore;
let users: UserStore;
beforeAll(() => {
  members = new MemberStore(database().db);
  users = new UserStore(database().db);
});

async function person(email: string) {
  const user = await users.create({ email });
  const forgotten: string[] = [];
  const request = {
    person: { id: user.id, email },
    caller: sessionCaller({ id: user.id, email, role: 'member', projects: new Map() }),
    server: { access: { forgetOwner: (id: string) => forgotten.push(id) } },
  } as unknown as FastifyRequest;
  return { user, request, forgotten };
}

const project = (name: string) =>
  database().db.insertInto('projects').values({ name, id: `prj_${name}`, current_deployment_id: null, updated_at: new Date() }).execute();

describe('claimNewProject', () => {
  it('makes the creator admin, refreshes their remembered rights, and lets them keep the deploy', async () => {
    const { user, request, forgotten } = await person('first@example.test');
    await project('claimed');
    expect(await claimNewProject(request, members, 'claimed')).toBe(true);
    expect(await members.roleOf('claimed', user.id)).toBe('admin');
    expect(forgotten).toEqual([user.id]);
  });

  it('does not let a caller keep a deploy in a project someone else made in the same moment', async () => {
    const winner = await person('winner@example.test');
    const loser = await person('loser@example.test');
    await project('raced');
    expect(await claimNewProject(winner.request, members, 'raced')).toBe(true);
    expect(await claimNewProject(loser.request, members, 'raced')).toBe(false);
    expect(await members.roleOf('raced', loser.user.id)).toBeUndefined();
  });
});

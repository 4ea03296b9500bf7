import { expect } from 'vitest';
import { DeployKeyStore } from '@berth/shared/accounts/deploy-key-store';
import { MemberStore } from '@berth/shared/accounts/member-store';
import type { Principal } from '@berth/shared/accounts/policy';
import { SessionStore, sessionCookieName } from '@berth/shared/accounts/session-store';
import type { ProjectRole } from '@berth/shared/accounts/tables';
import { UserStore } from '@berth/shared/accounts/user-store';
import { TokenStore } from '@berth/shared/token-store';
import type { Stack } from '@berth/testing/stack';

/**
 * The people and keys the access tests call as, on a real stack: members of
 * the project `walk` in each role, the admin of another project, an instance
 * owner, a personal token limited to `walk`, and `walk`'s deploy key. Each
 * caller has the headers it sends and the Principal the policy should see.
 */
export interface TestCaller {
  name: string;
  principal: Principal;
  headers: () => Record<string, string>;
  /** A person's id (for their tokens). */
  userId?: string;
}

export const walkProject = 'walk';
export const otherProject = 'elsewhere';
const gitUrl = 'https://example.com/acme/app.git';

export interface AccessWorld {
  callers: TestCaller[];
  byName: (name: string) => TestCaller;
  /** The current deployment of `walk` the `:id` routes use. */
  deploymentId: () => string;
  /** Makes `walk` again (members, a deployment, a new deploy key) after a walk deleted it. */
  resetWalk: () => Promise<void>;
  members: MemberStore;
  tokens: TokenStore;
  users: UserStore;
}

/** A signed-in browser: the cookie and (for requests that change something) its CSRF token. */
function sessionHeaders(secret: string, csrfToken: string): Record<string, string> {
  return { authorization: '', cookie: `${sessionCookieName}=${secret}`, 'x-berth-csrf': csrfToken };
}

export async function makeAccessWorld(stack: Stack, tag: string): Promise<AccessWorld> {
  const db = stack.db.db;
  const users = new UserStore(db);
  const sessions = new SessionStore(db);
  const members = new MemberStore(db);
  const tokens = new TokenStore(db);
  const keys = new DeployKeyStore(db);
  const callers: TestCaller[] = [{ name: 'anonymous', principal: { kind: 'anonymous' }, headers: () => ({ authorization: '' }) }];
  const roles: [string, 'owner' | 'member', [string, ProjectRole][]][] = [
    ['viewer', 'member', [[walkProject, 'viewer']]],
    ['deployer', 'member', [[walkProject, 'deployer']]],
    ['admin of another project', 'member', [[otherProject, 'admin']]],
    ['admin', 'member', [[walkProject, 'admin']]],
    ['owner', 'owner', []],
  ];
  for (const project of [walkProject, otherProject]) await makeProject(stack, project);
  for (const [name, role, projects] of roles) {
    const user = await users.create({ email: `${name.replace(/ /g, '-')}-${tag}@example.test`, role });
    for (const [project, projectRole] of projects) await members.add(project, user.id, projectRole);
    const { secret, csrfToken } = await sessions.create(user.id);
    callers.push({ name, userId: user.id, principal: { kind: 'user', role, projects: new Map(projects) }, headers: () => sessionHeaders(secret, csrfToken) });
  }
  const owner = callers.find((c) => c.name === 'owner')!;
  const limited = await tokens.create(`limited-${tag}`, 'deploy', undefined, { ownerUserId: owner.userId!, projects: [walkProject] });
  callers.push({
    name: 'project-limited token',
    principal: { kind: 'personal-token', role: 'owner', projects: new Map(), scope: 'deploy', limit: [walkProject] },
    headers: () => ({ authorization: `Bearer ${limited.token}` }),
  });
  let deployKey = (await keys.create(walkProject, 'ci', null)).key;
  callers.push({ name: 'deploy key', principal: { kind: 'deploy-key', project: walkProject }, headers: () => ({ authorization: `Bearer ${deployKey}` }) });
  let deploymentId = await makeDeployment(stack, walkProject);
  await makeDeployment(stack, otherProject);

  const resetWalk = async () => {
    if (!(await db.selectFrom('projects').select('name').where('name', '=', walkProject).executeTakeFirst())) {
      await makeProject(stack, walkProject);
      for (const [name, , projects] of roles) {
        const userId = callers.find((c) => c.name === name)!.userId!;
        for (const [project, role] of projects) if (project === walkProject) await members.add(project, userId, role);
      }
      deployKey = (await keys.create(walkProject, 'ci', null)).key;
    }
    deploymentId = await makeDeployment(stack, walkProject);
  };
  const byName = (name: string) => callers.find((c) => c.name === name)!;
  return { callers, byName, deploymentId: () => deploymentId, resetWalk, members, tokens, users };
}

async function makeProject(stack: Stack, name: string): Promise<void> {
  const res = await stack.inject({ method: 'POST', url: '/api/projects', payload: { name, gitUrl } });
  expect(res.statusCode, res.body).toBe(201);
}

/** A queued deployment of the project (the stack runs no worker, so it stays queued). */
export async function makeDeployment(stack: Stack, project: string): Promise<string> {
  const res = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { name: project, gitUrl } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().id as string;
}

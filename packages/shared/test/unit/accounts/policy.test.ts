import { describe, expect, it } from 'vitest';
import { actions, may, visibleProjects, type Action, type Decision, type Principal } from '../../../src/accounts/policy.ts';

// Callers, each asked about project "a" (project-wide actions). "b" is another project.
const member = (projects: Record<string, 'admin' | 'deployer' | 'viewer'>): Principal => ({
  kind: 'user',
  role: 'member',
  projects: new Map(Object.entries(projects)),
});
const callers = {
  anon: { kind: 'anonymous' },
  viewer: member({ a: 'viewer' }),
  deployer: member({ a: 'deployer' }),
  admin: member({ a: 'admin' }),
  adminOfB: member({ b: 'admin' }),
  owner: { kind: 'user', role: 'owner', projects: new Map() },
  tokRead: { kind: 'owner-token', scope: 'read' },
  tokDeploy: { kind: 'owner-token', scope: 'deploy' },
  tokAdmin: { kind: 'owner-token', scope: 'admin' },
  // A deploy-scope personal token of a's admin: never more than the token's scope.
  patDeploy: { kind: 'personal-token', role: 'member', projects: new Map([['a', 'admin']]), scope: 'deploy', limit: null },
  // A viewer's admin-scope token: never more than its owner.
  patViewer: { kind: 'personal-token', role: 'member', projects: new Map([['a', 'viewer']]), scope: 'admin', limit: null },
  // An owner's admin-scope token limited to project b: a is not there for it.
  patOnlyB: { kind: 'personal-token', role: 'owner', projects: new Map(), scope: 'admin', limit: ['b'] },
  // An owner's admin-scope token limited to project a.
  patOnlyA: { kind: 'personal-token', role: 'owner', projects: new Map(), scope: 'admin', limit: ['a'] },
  keyA: { kind: 'deploy-key', project: 'a' },
  keyB: { kind: 'deploy-key', project: 'b' },
} satisfies Record<string, Principal>;
const columns = Object.keys(callers) as (keyof typeof callers)[];

// Y allow, H hidden (404), F forbidden (403), U unauthenticated (401); one letter per caller, in `columns` order:
//                                anon viewer deployer admin adminOfB owner tokRead tokDeploy tokAdmin patDeploy patViewer patOnlyB patOnlyA keyA keyB
const expected: Record<Action, string> = {
  'project.read':               'U Y Y Y H Y Y Y Y Y Y H Y Y H',
  'project.logs.read':          'U Y Y Y H Y Y Y Y Y Y H Y Y H',
  'project.secrets.read':       'U F F Y H Y F F Y F F H Y F H',
  'deployment.create':          'U F Y Y H Y F Y Y Y F H Y Y H',
  'deployment.promote':         'U F Y Y H Y F Y Y Y F H Y F H',
  'deployment.rollback':        'U F Y Y H Y F Y Y Y F H Y F H',
  'deployment.redeploy':        'U F Y Y H Y F Y Y Y F H Y F H',
  'deployment.cancel':          'U F Y Y H Y F Y Y Y F H Y F H',
  'deployment.stop':            'U F Y Y H Y F Y Y Y F H Y F H',
  'deployment.scale':           'U F Y Y H Y F Y Y Y F H Y F H',
  'deployment.exec':            'U F Y Y H Y F Y Y Y F H Y F H',
  'project.runs.start':         'U F Y Y H Y F Y Y Y F H Y F H',
  'project.backups.create':     'U F Y Y H Y F Y Y Y F H Y F H',
  'project.backups.download':   'U F F Y H Y F F Y F F H Y F H',
  'project.backups.restore':    'U F F Y H Y F F Y F F H Y F H',
  'project.settings.update':    'U F F Y H Y F F Y F F H Y F H',
  'project.env.update':         'U F F Y H Y F F Y F F H Y F H',
  'project.hook-secret.rotate': 'U F F Y H Y F F Y F F H Y F H',
  'project.domains.update':     'U F F Y H Y F F Y F F H Y F H',
  'project.webhooks.update':    'U F F Y H Y F F Y F F H Y F H',
  'project.drains.update':      'U F Y Y H Y F Y Y Y F H Y F H',
  'project.members.read':       'U F F Y H Y Y Y Y Y F H Y F H',
  'project.members.update':     'U F F Y H Y F F Y F F H Y F H',
  'project.deploy-keys.manage': 'U F F Y H Y F F Y F F H Y F H',
  'project.audit.read':         'U F F Y H Y F F Y F F H Y F H',
  'project.delete':             'U F F Y H Y F F Y F F H Y F H',
  'project.create':             'U Y Y Y Y Y F Y Y Y Y F F F F',
  'account.read':               'U Y Y Y Y Y Y Y Y Y Y Y Y F F',
  'account.update':             'U Y Y Y Y Y F F F F F F F F F',
  'tokens.own.manage':          'U Y Y Y Y Y F F Y F Y F F F F',
  'tokens.all.manage':          'U F F F F Y F F Y F F F F F F',
  'instance.read':              'U F F F F Y Y Y Y F F F F F F',
  'audit.read':                 'U F F F F Y F F Y F F F F F F',
  'users.read':                 'U F F F F Y F F Y F F F F F F',
  'users.manage':               'U F F F F Y F F Y F F F F F F',
};

const letter: Record<Decision, string> = { allow: 'Y', hidden: 'H', forbidden: 'F', unauthenticated: 'U' };

describe('the access policy', () => {
  it('has an expected row here for every action, and no row for an action that does not exist', () => {
    expect(Object.keys(expected).sort()).toEqual([...actions].sort());
    for (const [action, row] of Object.entries(expected)) expect(row.split(' '), action).toHaveLength(columns.length);
  });

  it.each(actions)('decides %s for every kind of caller as the table says', (action) => {
    const got = columns.map((c) => letter[may(callers[c], action, 'a')]).join(' ');
    expect(got).toBe(expected[action]);
  });

  it('lists exactly the projects project.read allows', () => {
    const projects = ['a', 'b', 'c'];
    for (const column of columns) {
      const caller = callers[column];
      const visible = visibleProjects(caller);
      for (const p of projects) {
        const listed = visible === 'all' || visible.has(p);
        expect(listed, `${column} / ${p}`).toBe(may(caller, 'project.read', p) === 'allow');
      }
    }
    expect(visibleProjects(callers.owner)).toBe('all');
    expect([...(visibleProjects(callers.patOnlyB) as Set<string>)]).toEqual(['b']);
    expect([...(visibleProjects(callers.keyA) as Set<string>)]).toEqual(['a']);
  });

  it('keeps a limited token of a member inside both its list and its owner\'s projects', () => {
    const token: Principal = { kind: 'personal-token', role: 'member', projects: new Map([['a', 'admin']]), scope: 'admin', limit: ['a', 'b'] };
    expect(may(token, 'project.delete', 'a')).toBe('allow');
    expect(may(token, 'project.read', 'b')).toBe('hidden');
    expect([...(visibleProjects(token) as Set<string>)]).toEqual(['a']);
  });

  it('needs a project for project-wide actions', () => {
    expect(() => may(callers.owner, 'deployment.create')).toThrow(/decided on a project/);
  });
});

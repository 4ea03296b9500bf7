import { scopeAllows, type TokenScope } from '../token-scope.ts';
import type { InstanceRole, ProjectRole } from './tables.ts';

/**
 * Who may do what: ONE table (`policy`) and ONE function over it (`may`).
 * Deny by default: an action is allowed only when its row says so for this
 * kind of caller. Routes name the action they perform; lists filter with
 * `visibleProjects`, which reads the same table (the `project.read` row).
 */

/** Callers, as the auth hook identifies them. */
export type Principal =
  | { kind: 'anonymous' }
  /** An instance token (made before accounts, or by an owner) or BERTH_ADMIN_TOKEN: owner-level, within its scope. */
  | { kind: 'owner-token'; scope: TokenScope }
  /** A person signed in with a session cookie. */
  | { kind: 'user'; role: InstanceRole; projects: ReadonlyMap<string, ProjectRole> }
  /**
   * A person's token: never more than its owner (`role`, `projects` are the
   * owner's), never more than its scope, and, when `limit` lists projects,
   * only those projects (and no instance-wide action but reading itself).
   */
  | {
      kind: 'personal-token';
      role: InstanceRole;
      projects: ReadonlyMap<string, ProjectRole>;
      scope: TokenScope;
      limit: readonly string[] | null;
    }
  /** A project's deploy key (CI): deploys its one project, and reads that project so CI can follow the deploy. */
  | { kind: 'deploy-key'; project: string };

interface ProjectRule {
  on: 'project';
  /** The least project role a member needs (instance owners need none). */
  role: ProjectRole;
  /** The least scope a token needs. */
  scope: TokenScope;
  /** A deploy key of this very project may do it. */
  deployKey?: true;
}

interface InstanceRule {
  on: 'instance';
  /** Instance members may do it too, not only owners. */
  members: boolean;
  scope: TokenScope;
  /** Only a signed-in person (a session), never a token: changing one's own password or second factor. */
  sessionOnly?: true;
  /** A project-limited personal token may do it (only reading who it is). */
  limitedTokens?: true;
}

type Rule = ProjectRule | InstanceRule;

/** The table. Adding an action is adding a row here (and a row in test/accounts/policy.test.ts). */
export const policy = {
  // Reading a project: status, settings without secrets, deployments, releases, domains, events, per-project metrics.
  'project.read': { on: 'project', role: 'viewer', scope: 'read', deployKey: true },
  'project.logs.read': { on: 'project', role: 'viewer', scope: 'read', deployKey: true },
  // Env values, the git hook secret, webhook URLs (Slack/Discord URLs are secrets): responses redact them without this.
  'project.secrets.read': { on: 'project', role: 'admin', scope: 'admin' },
  'deployment.create': { on: 'project', role: 'deployer', scope: 'deploy', deployKey: true },
  'deployment.promote': { on: 'project', role: 'deployer', scope: 'deploy' },
  'deployment.rollback': { on: 'project', role: 'deployer', scope: 'deploy' },
  'deployment.redeploy': { on: 'project', role: 'deployer', scope: 'deploy' },
  'deployment.cancel': { on: 'project', role: 'deployer', scope: 'deploy' },
  'deployment.stop': { on: 'project', role: 'deployer', scope: 'deploy' },
  'deployment.scale': { on: 'project', role: 'deployer', scope: 'deploy' },
  // A shell (or a command) in a running deployment's container: its env and files (a deployer can ship any code anyway); never a deploy key.
  'deployment.exec': { on: 'project', role: 'deployer', scope: 'deploy' },
  // A one-off run, a job run now, or canceling one: a command in the release with its env (a deployer can ship any code anyway).
  'project.runs.start': { on: 'project', role: 'deployer', scope: 'deploy' },
  // A backup of a managed service now: it reads the data, changes nothing (a deployer may run any code against it anyway).
  'project.backups.create': { on: 'project', role: 'deployer', scope: 'deploy' },
  // A service's whole data (passwords, customers' rows) leaves the installation: the project's admins.
  'project.backups.download': { on: 'project', role: 'admin', scope: 'admin' },
  // Replaces a service's data with a backup's: the project's admins.
  'project.backups.restore': { on: 'project', role: 'admin', scope: 'admin' },
  'project.settings.update': { on: 'project', role: 'admin', scope: 'admin' },
  'project.env.update': { on: 'project', role: 'admin', scope: 'admin' },
  'project.hook-secret.rotate': { on: 'project', role: 'admin', scope: 'admin' },
  'project.domains.update': { on: 'project', role: 'admin', scope: 'admin' },
  'project.webhooks.update': { on: 'project', role: 'admin', scope: 'admin' },
  // Log drains send the project's lines on (which a deployer can read anyway): added, removed and resumed by its deployers.
  'project.drains.update': { on: 'project', role: 'deployer', scope: 'deploy' },
  'project.members.read': { on: 'project', role: 'admin', scope: 'read' },
  'project.members.update': { on: 'project', role: 'admin', scope: 'admin' },
  'project.deploy-keys.manage': { on: 'project', role: 'admin', scope: 'admin' },
  'project.audit.read': { on: 'project', role: 'admin', scope: 'admin' },
  'project.delete': { on: 'project', role: 'admin', scope: 'admin' },
  // The creator becomes the new project's admin.
  'project.create': { on: 'instance', members: true, scope: 'deploy' },
  // Who am I (GET /api/auth/me).
  'account.read': { on: 'instance', members: true, scope: 'read', limitedTokens: true },
  // One's own password and second factor.
  'account.update': { on: 'instance', members: true, scope: 'admin', sessionOnly: true },
  // One's own personal tokens (never more than oneself: see assertMayGrant).
  'tokens.own.manage': { on: 'instance', members: true, scope: 'admin' },
  // Instance tokens and everyone's tokens.
  'tokens.all.manage': { on: 'instance', members: false, scope: 'admin' },
  // Workers, queue and instance-wide metrics.
  'instance.read': { on: 'instance', members: false, scope: 'read' },
  'audit.read': { on: 'instance', members: false, scope: 'admin' },
  'users.read': { on: 'instance', members: false, scope: 'admin' },
  // Invite, reset with a new link, change a role, disable.
  'users.manage': { on: 'instance', members: false, scope: 'admin' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof policy;
export const actions = Object.keys(policy) as Action[];
/** The actions decided on a project (what a project's page may offer). */
export const projectActions = actions.filter((a) => policy[a].on === 'project');

/**
 * allow; unauthenticated (401: nobody is signed in); hidden (404: the caller
 * may not even see this project, so it is answered as if it did not exist);
 * forbidden (403: the caller sees it, or the action is instance-wide, but may not do this).
 */
export type Decision = 'allow' | 'unauthenticated' | 'hidden' | 'forbidden';

const roleRank: Record<ProjectRole, number> = { viewer: 1, deployer: 2, admin: 3 };

function roleAllows(held: ProjectRole | undefined, needed: ProjectRole): boolean {
  return held !== undefined && roleRank[held] >= roleRank[needed];
}

/** The project role the caller acts with in `project` ('admin' for owners), or undefined when it may not see it (or is a deploy key). */
export function effectiveRole(principal: Principal, project: string): ProjectRole | undefined {
  switch (principal.kind) {
    case 'anonymous':
    case 'deploy-key':
      return undefined;
    case 'owner-token':
      return 'admin';
    case 'user':
      return principal.role === 'owner' ? 'admin' : principal.projects.get(project);
    case 'personal-token':
      if (principal.limit && !principal.limit.includes(project)) return undefined;
      return principal.role === 'owner' ? 'admin' : principal.projects.get(project);
  }
}

function tokenScope(principal: Principal): TokenScope {
  return principal.kind === 'owner-token' || principal.kind === 'personal-token' ? principal.scope : 'admin';
}

function mayOnProject(principal: Principal, rule: ProjectRule, project: string): Decision {
  if (principal.kind === 'deploy-key') {
    if (principal.project !== project) return 'hidden';
    return rule.deployKey ? 'allow' : 'forbidden';
  }
  const role = effectiveRole(principal, project);
  if (role === undefined) return 'hidden';
  return roleAllows(role, rule.role) && scopeAllows(tokenScope(principal), rule.scope) ? 'allow' : 'forbidden';
}

function mayOnInstance(principal: Principal, rule: InstanceRule): Decision {
  if (principal.kind === 'deploy-key') return 'forbidden';
  if (rule.sessionOnly && principal.kind !== 'user') return 'forbidden';
  if (principal.kind === 'personal-token' && principal.limit && !rule.limitedTokens) return 'forbidden';
  const owner = principal.kind === 'owner-token' || (principal.kind !== 'anonymous' && principal.role === 'owner');
  if (!owner && !rule.members) return 'forbidden';
  return scopeAllows(tokenScope(principal), rule.scope) ? 'allow' : 'forbidden';
}

/** May `principal` do `action` (on `project`, which project-wide actions need)? */
export function may(principal: Principal, action: Action, project?: string): Decision {
  if (principal.kind === 'anonymous') return 'unauthenticated';
  const rule: Rule = policy[action];
  if (rule.on === 'instance') return mayOnInstance(principal, rule);
  if (project === undefined) throw new Error(`${action} is decided on a project; none was given`);
  return mayOnProject(principal, rule, project);
}

/** The projects a list may show the caller ('all', or these names): exactly those `project.read` allows. */
export function visibleProjects(principal: Principal): 'all' | ReadonlySet<string> {
  switch (principal.kind) {
    case 'anonymous':
      return new Set();
    case 'deploy-key':
      return new Set([principal.project]);
    case 'owner-token':
      return 'all';
    case 'user':
      return principal.role === 'owner' ? 'all' : new Set(principal.projects.keys());
    case 'personal-token': {
      const own = principal.role === 'owner' ? undefined : new Set(principal.projects.keys());
      if (!principal.limit) return own ?? 'all';
      return new Set(principal.limit.filter((p) => !own || own.has(p)));
    }
  }
}

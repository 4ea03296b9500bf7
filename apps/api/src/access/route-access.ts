import type { FastifyInstance } from 'fastify';
import { policy, type Action } from '@berth/shared/accounts/policy';
import type { Caller } from '@berth/shared/accounts/principal';

/**
 * What a route declares about who may call it (the access contract):
 *
 *   config: { action: 'project.read', project: 'param' }
 *
 * `action` is a row of the policy table (packages/shared/src/accounts/policy.ts)
 * or 'public'. A route without one is refused when it is registered: nothing
 * is open, or closed, by accident. A project-wide action also says where its
 * project comes from (`project`):
 *
 * - 'param': the `:name` path parameter (/api/projects/:name/...).
 * - 'deployment': the project of the deployment in the `:id` path parameter
 *   (looked up; a deployment of a project the caller may not see answers
 *   exactly as one that does not exist).
 * - 'list': the route lists several projects' things; any signed-in caller
 *   may call it and it shows only `visibleProjects(caller)` (its handler filters).
 * - 'handler': the project is only known inside the handler (a body field,
 *   a query parameter): the hook only makes sure someone is signed in, and the
 *   handler calls `assertMay(request, action, project)` before it does anything.
 */
export type ProjectSource = 'param' | 'deployment' | 'list' | 'handler';

export type RouteAction = Action | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: set by the access hook before any handler runs (anonymous on public routes when nothing valid was presented). */
    caller: Caller;
    /**
     * What open event streams are counted and ended by: the token or deploy
     * key id, or `session:<session id hash>`; undefined for anonymous callers.
     */
    credentialKey?: string;
    /** The person behind the caller: the signed-in user, or a personal token's owner (undefined for instance tokens, deploy keys, anonymous). */
    person?: { id: string; email: string };
    /** On a route about one deployment (`project: 'deployment'`), its project, once the hook looked it up. */
    deploymentProject?: string;
  }
  interface FastifyContextConfig {
    /** The policy action the route performs, or 'public'. Required: a route without one is refused at registration. */
    action?: RouteAction;
    /** Where a project-wide action's project comes from (see ProjectSource). */
    project?: ProjectSource;
    /** EventSource cannot set headers: this route also takes a token as `?token=`. */
    queryToken?: boolean;
    /** A WebSocket route: a browser cannot set headers there either, so it also takes a token as the subprotocol `berth.bearer.<token>`. */
    protocolToken?: boolean;
    /** A GET that opens something (a terminal's WebSocket upgrade): audited like a change, refused attempts included. */
    auditedRead?: boolean;
  }
  interface FastifyInstance {
    /**
     * What routes that change who may do what tell the access layer, so it
     * stops trusting what it remembered (verified tokens, with their owners'
     * rights, are kept up to TOKEN_RECHECK_MS): a revoked token
     * (`forgetToken`: also ends its open event streams), a person disabled or
     * whose roles changed (`forgetOwner`: their personal tokens are read again).
     * Both tell every other API process too (access/revocations.ts): await them
     * before answering, so the caller's next request, wherever it lands, is decided anew.
     */
    access: { forgetToken(tokenId: string): Promise<void>; forgetOwner(userId: string): Promise<void> };
    /** Every registered route with what it needs (filled as routes register; the walk tests go through it). */
    routeAccess: RouteAccessEntry[];
  }
}

export interface RouteAccessEntry {
  method: string;
  url: string;
  action: RouteAction;
  project?: ProjectSource;
}

/** Why a route's declaration is refused, or undefined when it is complete. */
export function declarationProblem(action: unknown, project: unknown): string | undefined {
  if (action === undefined) return 'declares no config.action (every route names its policy action, or "public")';
  if (action === 'public') return project === undefined ? undefined : 'is public but names a project source';
  if (typeof action !== 'string' || !Object.hasOwn(policy, action)) return `declares unknown action "${String(action)}"`;
  const rule = policy[action as Action];
  if (rule.on === 'instance') return project === undefined ? undefined : `performs the instance-wide action ${action} but names a project source`;
  if (!['param', 'deployment', 'list', 'handler'].includes(project as string)) {
    return `performs the project action ${action} without saying where its project comes from (config.project)`;
  }
  return undefined;
}

/** Keeps the route table and refuses, at registration, a route that does not declare its access. */
export function recordRouteAccess(app: FastifyInstance): void {
  const table: RouteAccessEntry[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    const { action, project } = route.config ?? {};
    const problem = declarationProblem(action, project);
    if (problem) throw new Error(`route ${[route.method].flat().join(',')} ${route.url} ${problem}`);
    for (const method of [route.method].flat()) {
      table.push({ method, url: route.url ?? route.path, action: action!, ...(project ? { project } : {}) });
    }
  });
}

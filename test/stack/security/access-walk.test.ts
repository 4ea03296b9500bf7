import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { may, policy, type Action, type Decision } from '@berth/shared/accounts/policy';
import { SseClient } from '@berth/testing/http';
import { startStack, type Stack } from '@berth/testing/stack';
import { makeAccessWorld, walkProject, type AccessWorld, type TestCaller } from './access-fixtures.ts';
import { routeTable } from './access-route-table.ts';

/**
 * Issue 25's walk: every registered route × every kind of caller, each answer
 * checked against the policy table (packages/shared/src/accounts/policy.ts)
 * through `may`, the function the API decides with. A route cannot register
 * without naming its action (test/stack/security/auth-routes.test.ts), so a
 * new route is walked as soon as it exists; a route that decides inside its
 * handler must have an entry in `handlerRequests` below, or this test fails.
 */
let stack: Stack;
let world: AccessWorld;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { DEPLOY_RATE_LIMIT: '100000' } });
  world = await makeAccessWorld(stack, 'walk');
});
afterAll(async () => {
  await stack?.close();
});

interface RouteEntry {
  method: string;
  url: string;
  action: Action | 'public';
  project?: string;
}

const gitUrl = 'https://example.com/acme/app.git';
/** Routes whose project is only known inside the handler: the request that names `walk`. */
const handlerRequests: Record<string, { payload?: object; query?: (deploymentId: string) => string }> = {
  'POST /api/deployments': { payload: { name: walkProject, gitUrl } },
  'GET /api/events': { query: (id) => `?deployment=${id}` },
  'GET /api/audit': { query: () => `?project=${walkProject}` },
  'HEAD /api/audit': { query: () => `?project=${walkProject}` },
};
/** Routes that, once allowed, end the caller's own session (sign-out): it is restored for the routes after. */
const endsSession = new Set(['POST /api/auth/logout']);
/** Routes that, once allowed, remove `walk` or its deployment: the world is made again after them. */
const destructive = new Set(['DELETE /api/projects/:name', 'DELETE /api/deployments/:id', 'POST /api/deployments/:id/cancel']);
const eventStreams = new Set(['GET /api/events', 'GET /api/deployments/:id/events']);

function expectedDecision(route: RouteEntry, caller: TestCaller): Decision {
  if (route.action === 'public') return 'allow';
  if (caller.principal.kind === 'anonymous') return 'unauthenticated';
  if (policy[route.action].on === 'instance') return may(caller.principal, route.action);
  // A list: anyone signed in, shown only what they may see (test/stack/security/access-lists.test.ts).
  if (route.project === 'list') return 'allow';
  return may(caller.principal, route.action, walkProject);
}

function target(route: RouteEntry): string {
  const id = world.deploymentId();
  const path = route.url.replace(':name', walkProject).replace(':id', id).replace(/:[A-Za-z]+/g, 'abcdefghijkl');
  return path + (handlerRequests[`${route.method} ${route.url}`]?.query?.(id) ?? '');
}

/** What a refusal must look like: 401, 403, or a 404 with exactly the body of a project or deployment that does not exist. */
function refusalProblem(decision: Decision, route: RouteEntry, status: number, body: string): string | undefined {
  const want = { unauthenticated: 401, hidden: 404, forbidden: 403, allow: 0 }[decision];
  if (status !== want) return `answered ${status}, expected ${want} (${decision}): ${body.slice(0, 200)}`;
  if (route.method === 'HEAD') return undefined;
  const error = (JSON.parse(body) as { error: { code: string; message: string } }).error;
  if (decision !== 'hidden') return error.code === (want === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN') ? undefined : `code ${error.code}`;
  const missing = route.project === 'deployment' || eventStreams.has(`${route.method} ${route.url}`) ? `deployment ${world.deploymentId()} does not exist` : `project ${walkProject} does not exist`;
  return JSON.stringify(error) === JSON.stringify({ code: 'NOT_FOUND', message: missing }) ? undefined : `hidden answered ${body}, not the missing one's body`;
}

/** An allowed request reaches its handler: no 401/403, and no 404 that says `walk` or its deployment is missing. */
function allowProblem(status: number, body: string): string | undefined {
  if (status === 401 || status === 403) return `refused (${status}) although the policy allows it: ${body.slice(0, 200)}`;
  if (status === 404 && (body.includes(`project ${walkProject} does not exist`) || body.includes(`deployment ${world.deploymentId()} does not exist`))) {
    return `hidden although the policy allows it: ${body}`;
  }
  return undefined;
}

async function call(route: RouteEntry, caller: TestCaller): Promise<{ status: number; body: string }> {
  const key = `${route.method} ${route.url}`;
  const extra = handlerRequests[key];
  if (eventStreams.has(key) && route.method === 'GET') {
    // An allowed stream never ends: open it for real and close it.
    try {
      const sse = await SseClient.open(`${stack.apiUrl}${target(route)}`, { headers: caller.headers() });
      sse.close();
      return { status: 200, body: '' };
    } catch (err) {
      const status = Number(/answered (\d+)/.exec(String(err))?.[1] ?? 0);
      if (!status) throw err;
      const res = await stack.api.inject({ method: 'GET', url: target(route), headers: caller.headers() });
      return { status: res.statusCode, body: res.body };
    }
  }
  const res = await stack.api.inject({
    method: route.method as 'GET',
    url: target(route),
    headers: caller.headers(),
    ...(extra?.payload ? { payload: extra.payload } : {}),
  });
  return { status: res.statusCode, body: res.body };
}

describe('every route × every kind of caller, against the policy table', () => {
  it('answers each as the table says: allowed reaches the route, refused is 401, 404 (as if missing) or 403', async () => {
    const routes = stack.api.routeAccess as RouteEntry[];
    const failures: string[] = [];
    const seen = new Set<Decision>();
    let walked = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      if (route.project === 'handler') expect(handlerRequests[key], `${key} decides in its handler: give it an entry in handlerRequests`).toBeDefined();
      // The table's action, not the route's own declaration: a route that declares too little fails here too.
      const entry = routeTable[`${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`];
      if (!entry || entry === 'public') continue;
      const expected = { ...route, action: entry[0], project: entry[1] };
      for (const caller of world.callers) {
        const decision = expectedDecision(expected, caller);
        seen.add(decision);
        const { status, body } = await call(route, caller);
        walked++;
        const problem = decision === 'allow' ? allowProblem(status, body) : refusalProblem(decision, expected, status, body);
        if (problem) failures.push(`${caller.name} → ${key}: ${problem}`);
        if (decision === 'allow' && destructive.has(key)) await world.resetWalk();
        if (decision === 'allow' && endsSession.has(key) && caller.userId) {
          await stack.db.db.updateTable('sessions').set({ revoked_at: null }).where('user_id', '=', caller.userId).execute();
        }
      }
    }
    expect(failures).toEqual([]);
    expect(seen).toEqual(new Set(['allow', 'unauthenticated', 'hidden', 'forbidden']));
    expect(walked).toBeGreaterThan(routes.filter((r) => r.action !== 'public').length * 7);
  });

  it('has every route in the table (access-route-table.ts), declaring exactly the action and project source written there', () => {
    const problems: string[] = [];
    for (const route of stack.api.routeAccess) {
      if (route.url === '/docs' || route.url.startsWith('/docs/')) {
        if (route.action !== 'public') problems.push(`${route.url} is a docs page but not public`);
        continue;
      }
      const key = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`;
      const entry = routeTable[key];
      if (entry === undefined) problems.push(`${key} has no entry in access-route-table.ts`);
      else if (JSON.stringify(entry === 'public' ? 'public' : [entry[0], entry[1]]) !== JSON.stringify(route.action === 'public' ? 'public' : [route.action, route.project])) {
        problems.push(`${key} declares ${route.action} (${route.project ?? 'instance'}), the table says ${JSON.stringify(entry)}`);
      }
    }
    const registered = new Set(stack.api.routeAccess.map((r) => `${r.method} ${r.url}`));
    for (const key of Object.keys(routeTable)) if (!registered.has(key)) problems.push(`${key} is in the table but not registered`);
    expect(problems).toEqual([]);
  });

  it('walks every kind of caller the issue lists', () => {
    expect(world.callers.map((c) => c.name)).toEqual([
      'anonymous',
      'viewer',
      'deployer',
      'admin of another project',
      'admin',
      'owner',
      'project-limited token',
      'deploy key',
    ]);
  });
});

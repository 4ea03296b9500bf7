import type { FastifyInstance, FastifyRequest } from 'fastify';
import { policy, type Action } from '@berth/shared/accounts/policy';
import { anonymousCaller } from '@berth/shared/accounts/principal';
import { BerthError } from '@berth/shared/errors';
import { identify, presentedCredential, type Credential, type CredentialSources, type Identified } from './access/credentials.ts';
import type { StrangerThrottle } from './access/stranger-throttle.ts';
import { assertPrincipalMay, missingDeployment, notSignedIn } from './access/decide.ts';
import type { DeploymentProjects } from './access/deployment-projects.ts';
import { recordRouteAccess, type ProjectSource } from './access/route-access.ts';
import { deploymentIdSchema } from './routes/deployment-params.ts';

export type { RouteAccessEntry } from './access/route-access.ts';
export { assertMay, callerMay } from './access/decide.ts';

export interface AccessDeps extends CredentialSources {
  /** A deployment's project, for routes about one deployment. */
  deploymentProjects: Pick<DeploymentProjects, 'of'>;
  /** Failed credentials per client address (absent: not counted, as in tests of other things). */
  strangers?: Pick<StrangerThrottle, 'assertNotBoxed' | 'count'>;
}

const deploymentId = new RegExp(deploymentIdSchema.pattern);

/**
 * Default-deny access, decided on the route the router matched (never on the
 * raw URL, whose spellings are endless), before the body is read: who the
 * caller is (access/credentials.ts), then whether the policy lets them do the
 * route's `config.action` on its project (access/route-access.ts says how a
 * route declares both; a route that does not is refused when registered).
 * Paths no route matched need a signed-in caller: their 404 is not for strangers.
 */
export function installAuth(app: FastifyInstance, deps: AccessDeps): void {
  recordRouteAccess(app);
  app.decorateRequest('caller', null as never);
  app.decorateRequest('credentialKey', undefined);
  app.decorateRequest('person', undefined);
  app.decorateRequest('deploymentProject', undefined);
  app.addHook('onRequest', async (request) => {
    request.caller = anonymousCaller;
    const { action, project } = request.is404 ? { action: undefined, project: undefined } : request.routeOptions.config;
    if (action === 'public') return identifyIfPossible(request, deps);
    const credential = presentedCredential(request);
    if (credential.kind === 'none') throw notSignedIn();
    adopt(request, await identifyCounted(request, credential, deps));
    if (action !== undefined) await decide(request, action, project, deps);
  });
}

/**
 * Who the credential is; one that fails to check counts against its address
 * (StrangerThrottle), and an address past that limit is refused before its
 * credential costs a lookup: guessing tokens is throttled like the open doors.
 */
async function identifyCounted(request: FastifyRequest, credential: Exclude<Credential, { kind: 'none' }>, deps: AccessDeps): Promise<Identified> {
  deps.strangers?.assertNotBoxed(request);
  try {
    return await identify(request, credential, deps);
  } catch (err) {
    if (deps.strangers && err instanceof BerthError && (err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN')) await deps.strangers.count(request);
    throw err;
  }
}

function adopt(request: FastifyRequest, who: Identified): void {
  request.caller = who.caller;
  request.credentialKey = who.credentialKey;
  request.person = who.person;
}

/**
 * On a public route a caller is whoever they are if that can be told, else
 * anonymous: a stale cookie does not break signing in, and a database that is
 * away does not fail /healthz for a probe that happens to send a token.
 */
async function identifyIfPossible(request: FastifyRequest, deps: AccessDeps): Promise<void> {
  try {
    const credential = presentedCredential(request);
    if (credential.kind === 'none') return;
    adopt(request, await identify(request, credential, deps));
  } catch (err) {
    request.log.debug({ err }, 'a credential on a public route was not accepted; answering as anonymous');
  }
}

/** The route's action on its project (see ProjectSource): throws 404/403 when the caller may not. */
async function decide(request: FastifyRequest, action: Action, source: ProjectSource | undefined, deps: AccessDeps): Promise<void> {
  const principal = request.caller.principal;
  if (policy[action].on === 'instance') return assertPrincipalMay(principal, action);
  const params = request.params as Record<string, string | undefined>;
  switch (source) {
    case 'param':
      return assertPrincipalMay(principal, action, params.name ?? '');
    case 'deployment': {
      const id = params.id ?? '';
      // The shape the route's schema would refuse, refused the same way (no lookup for it).
      if (!deploymentId.test(id)) throw new BerthError('VALIDATION_FAILED', `params/id must match pattern "${deploymentIdSchema.pattern}"`);
      const project = await deps.deploymentProjects.of(id);
      if (project === undefined) throw missingDeployment(id);
      request.deploymentProject = project;
      return assertPrincipalMay(principal, action, project, missingDeployment(id));
    }
    // Lists filter by visibleProjects; 'handler' routes call assertMay once they know the project.
    case 'list':
    case 'handler':
    case undefined:
      return;
  }
}
export { accessDeps } from './access/access-deps.ts';

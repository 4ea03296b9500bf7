import type { Action } from '@berth/shared/accounts/policy';

/**
 * What every route may be called for: the table the access walk
 * (access-walk.test.ts) holds the running API to. The API's routes declare
 * the same in their `config` (apps/api/src/access/route-access.ts); this copy
 * is written by hand, so a route that declares a weaker action than it
 * should, or a new route nobody entered here, fails the walk.
 *
 * `[action, where its project comes from]`; 'public' needs nobody. HEAD
 * routes are their GET's. The docs pages (/docs/...) are public.
 */
export const routeTable: Record<string, 'public' | [Action, ('param' | 'deployment' | 'list' | 'handler')?]> = {
  'GET /': 'public',
  'GET /assets/:file': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/tls/allowed': 'public',
  'POST /api/hooks/git/:project': 'public',

  'POST /api/deployments': ['deployment.create', 'handler'],
  'GET /api/deployments': ['project.read', 'list'],
  'GET /api/deployments/:id': ['project.read', 'deployment'],
  'POST /api/deployments/:id/cancel': ['deployment.cancel', 'deployment'],
  'DELETE /api/deployments/:id': ['deployment.stop', 'deployment'],
  'POST /api/deployments/:id/redeploy': ['deployment.redeploy', 'deployment'],
  'POST /api/deployments/:id/promote': ['deployment.promote', 'deployment'],
  'PATCH /api/deployments/:id': ['deployment.scale', 'deployment'],
  'GET /api/deployments/:id/logs': ['project.logs.read', 'deployment'],
  'GET /api/deployments/:id/metrics': ['project.read', 'deployment'],
  'GET /api/deployments/:id/events': ['project.logs.read', 'deployment'],
  'GET /api/events': ['project.logs.read', 'handler'],

  'POST /api/projects': ['project.create'],
  'GET /api/projects': ['project.read', 'list'],
  'GET /api/projects/:name': ['project.read', 'param'],
  'PATCH /api/projects/:name': ['project.settings.update', 'param'],
  'DELETE /api/projects/:name': ['project.delete', 'param'],
  'POST /api/projects/:name/hook-secret': ['project.hook-secret.rotate', 'param'],
  'GET /api/projects/:name/env': ['project.read', 'param'],
  'PUT /api/projects/:name/env': ['project.env.update', 'param'],
  'PATCH /api/projects/:name/env': ['project.env.update', 'param'],
  'GET /api/projects/:name/preview-env': ['project.read', 'param'],
  'PUT /api/projects/:name/preview-env': ['project.env.update', 'param'],
  'PATCH /api/projects/:name/preview-env': ['project.env.update', 'param'],
  'PUT /api/projects/:name/registry-auth': ['project.env.update', 'param'],
  'DELETE /api/projects/:name/registry-auth': ['project.env.update', 'param'],
  'POST /api/projects/:name/deployments': ['deployment.create', 'param'],
  'POST /api/projects/:name/rollback': ['deployment.rollback', 'param'],
  'GET /api/projects/:name/domains': ['project.read', 'param'],
  'POST /api/projects/:name/domains': ['project.domains.update', 'param'],
  'DELETE /api/projects/:name/domains/:hostname': ['project.domains.update', 'param'],
  'POST /api/projects/:name/domains/:hostname/verify': ['project.domains.update', 'param'],
  'GET /api/projects/:name/logs': ['project.logs.read', 'param'],
  'GET /api/projects/:name/volumes': ['project.read', 'param'],
  'POST /api/projects/:name/volumes': ['project.settings.update', 'param'],
  'DELETE /api/projects/:name/volumes/:volume': ['project.settings.update', 'param'],
  'GET /api/projects/:name/services': ['project.read', 'param'],
  'POST /api/projects/:name/services': ['project.settings.update', 'param'],
  'DELETE /api/projects/:name/services/:service': ['project.settings.update', 'param'],
  'POST /api/projects/:name/runs': ['project.runs.start', 'param'],
  'GET /api/projects/:name/runs': ['project.read', 'param'],
  'GET /api/projects/:name/runs/:run': ['project.read', 'param'],
  'POST /api/projects/:name/runs/:run/cancel': ['project.runs.start', 'param'],
  'GET /api/projects/:name/runs/:run/logs': ['project.logs.read', 'param'],
  'GET /api/projects/:name/runs/:run/events': ['project.logs.read', 'param'],
  'GET /api/projects/:name/jobs': ['project.read', 'param'],
  'POST /api/projects/:name/jobs': ['project.settings.update', 'param'],
  'PATCH /api/projects/:name/jobs/:job': ['project.settings.update', 'param'],
  'DELETE /api/projects/:name/jobs/:job': ['project.settings.update', 'param'],
  'GET /api/projects/:name/jobs/:job/runs': ['project.read', 'param'],
  'POST /api/projects/:name/jobs/:job/runs': ['project.runs.start', 'param'],
  'POST /api/projects/:name/webhooks': ['project.webhooks.update', 'param'],
  'GET /api/projects/:name/webhooks': ['project.read', 'param'],
  'DELETE /api/projects/:name/webhooks/:id': ['project.webhooks.update', 'param'],
  'GET /api/projects/:name/webhooks/:id/deliveries': ['project.read', 'param'],
  'POST /api/projects/:name/webhooks/:id/deliveries/:deliveryId/redeliver': ['project.webhooks.update', 'param'],

  // One's own tokens; owners (tokens.all.manage) everyone's, decided in the handler (apps/api/src/routes/tokens.ts).
  'GET /api/tokens': ['tokens.own.manage'],
  'POST /api/tokens': ['tokens.own.manage'],
  'DELETE /api/tokens/:id': ['tokens.own.manage'],

  // Signing in: email and password (rate-limited), or a one-time link, are the credential.
  'POST /api/auth/login': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/logout': ['account.read'],
  'GET /api/auth/me': ['account.read'],
  'POST /api/auth/password': ['account.update'],
  'POST /api/auth/totp': ['account.update'],
  'POST /api/auth/totp/confirm': ['account.update'],
  'POST /api/auth/totp/disable': ['account.update'],
  'GET /api/users': ['users.read'],
  'POST /api/users': ['users.manage'],
  'POST /api/users/:id/reset': ['users.manage'],
  'PATCH /api/users/:id': ['users.manage'],
  'GET /api/projects/:name/members': ['project.members.read', 'param'],
  'POST /api/projects/:name/members': ['project.members.update', 'param'],
  'PATCH /api/projects/:name/members/:userId': ['project.members.update', 'param'],
  'DELETE /api/projects/:name/members/:userId': ['project.members.update', 'param'],
  'GET /api/projects/:name/deploy-keys': ['project.deploy-keys.manage', 'param'],
  'POST /api/projects/:name/deploy-keys': ['project.deploy-keys.manage', 'param'],
  'DELETE /api/projects/:name/deploy-keys/:id': ['project.deploy-keys.manage', 'param'],
  // Owners read it all, project admins their projects' rows (the walk asks for the walk project's).
  'GET /api/audit': ['project.audit.read', 'handler'],
  'GET /metrics': ['instance.read'],
  'GET /api/workers': ['instance.read'],
};

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
  'POST /api/projects/:name/deployments': ['deployment.create', 'param'],
  'POST /api/projects/:name/rollback': ['deployment.rollback', 'param'],
  'GET /api/projects/:name/domains': ['project.read', 'param'],
  'POST /api/projects/:name/domains': ['project.domains.update', 'param'],
  'DELETE /api/projects/:name/domains/:hostname': ['project.domains.update', 'param'],
  'POST /api/projects/:name/webhooks': ['project.webhooks.update', 'param'],
  'GET /api/projects/:name/webhooks': ['project.read', 'param'],
  'DELETE /api/projects/:name/webhooks/:id': ['project.webhooks.update', 'param'],
  'GET /api/projects/:name/webhooks/:id/deliveries': ['project.read', 'param'],
  'POST /api/projects/:name/webhooks/:id/deliveries/:deliveryId/redeliver': ['project.webhooks.update', 'param'],

  'GET /api/tokens': ['tokens.all.manage'],
  'POST /api/tokens': ['tokens.all.manage'],
  'DELETE /api/tokens/:id': ['tokens.all.manage'],
  'GET /metrics': ['instance.read'],
  'GET /api/workers': ['instance.read'],
};

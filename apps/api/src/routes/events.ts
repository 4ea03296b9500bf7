import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { answerWithEvents, type EventsResponseDeps } from '../sse/events-response.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { deploymentIdSchema, idParams, loadDeployment } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';
import { assertMay } from '../auth.ts';
import { visibleProjects } from '@berth/shared/accounts/policy';
import type { DeploymentProjects } from '../access/deployment-projects.ts';
import { missingDeployment } from '../access/decide.ts';

export type EventRoutesOptions = EventsResponseDeps & {
  store: Pick<DeploymentStore, 'get'>;
  /** Which project a live event's deployment belongs to (the stream of everything shows only what the caller may see). */
  deploymentProjects: Pick<DeploymentProjects, 'of'>;
};

/** Event streams also take `?token=` (EventSource cannot send headers). */
const oneStream = { action: 'project.logs.read', project: 'deployment', queryToken: true } as const;
/** Every visible deployment, or (the old alias) the one in `?deployment=`: decided in the handler. */
const allStreams = { action: 'project.logs.read', project: 'handler', queryToken: true } as const;

/**
 * What every event stream reads from its query. Described, not typed: the
 * stream reads them leniently (an odd `since` means "from the start"), and
 * other parameters are ignored.
 */
const streamQuery = {
  token: { description: 'the API token (string), for clients that cannot send headers' },
  since: { description: 'the last seq (integer) the client has, when it cannot send Last-Event-ID' },
} as const;

/**
 * Server-Sent Events: one deployment's logs and status (seamless across
 * reconnects), or everything live. The answer is `text/event-stream`, written
 * by hand (sse/sse-response.ts), so only the errors before it starts have a schema.
 */
export const eventRoutes: ApiPlugin<EventRoutesOptions> = async (app, deps) => {
  /** One deployment's stream: GET /api/deployments/:id/events and its alias, GET /api/events?deployment=:id. */
  const oneDeployment = async (id: string, request: FastifyRequest, reply: FastifyReply) => {
    const row = await loadDeployment(deps.store, id);
    // The alias (?deployment=) is decided here; the path form was decided by the hook already.
    assertMay(request, 'project.logs.read', row.project, missingDeployment(id));
    await answerWithEvents(deps, request, reply, { deploymentId: id });
  };

  app.get(
    '/api/deployments/:id/events',
    {
      config: oneStream,
      // A HEAD would open a stream that never ends (and count against the token's cap).
      exposeHeadRoute: false,
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            ...streamQuery,
            follow: { description: '`runtime` keeps the stream open while the deployment runs' },
          },
        },
        response: errorResponses,
      },
    },
    async (request, reply) => oneDeployment(request.params.id, request, reply),
  );

  app.get(
    '/api/events',
    {
      config: allStreams,
      exposeHeadRoute: false,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            ...streamQuery,
            deployment: {
              ...deploymentIdSchema,
              description: 'only this deployment: an alias of GET /api/deployments/{id}/events (the same stream), kept for older clients; use that instead',
              deprecated: true,
            },
          },
        },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { deployment } = request.query;
      if (deployment !== undefined) return oneDeployment(deployment, request, reply);
      await answerWithEvents(deps, request, reply, { global: true, ...visibleOnly(request, deps.deploymentProjects) });
    },
  );
};

/** For a caller who may not see every project: which deployments' events the stream of everything shows them. */
function visibleOnly(request: FastifyRequest, projects: Pick<DeploymentProjects, 'of'>): { shows?: (deploymentId: string) => Promise<boolean> } {
  const visible = visibleProjects(request.caller.principal);
  if (visible === 'all') return {};
  return {
    shows: async (deploymentId) => {
      const project = await projects.of(deploymentId);
      return project !== undefined && visible.has(project);
    },
  };
}

import type { FastifyPluginAsync } from 'fastify';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import { streamEvents, type EventStreamDeps } from '../event-stream.ts';
import { idParams, loadDeployment } from './deployment-params.ts';

export type EventRoutesOptions = EventStreamDeps & { store: Pick<DeploymentStore, 'get'> };

/** Event streams also take `?token=` (EventSource cannot send headers). */
const stream = { access: 'read', queryToken: true } as const;

/** Server-Sent Events: one deployment's logs and status (seamless across reconnects), or everything live. */
export const eventRoutes: FastifyPluginAsync<EventRoutesOptions> = async (app, deps) => {
  app.get('/api/deployments/:id/events', { config: stream, schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await loadDeployment(deps.store, id);
    await streamEvents(deps, request, reply, { deploymentId: id });
  });

  app.get('/api/events', { config: stream }, async (request, reply) => {
    const { deployment } = request.query as { deployment?: string };
    if (deployment !== undefined) {
      if (!/^[a-z0-9]{1,64}$/.test(deployment)) throw new BerthError('VALIDATION_FAILED', 'deployment is not an id');
      await loadDeployment(deps.store, deployment);
    }
    await streamEvents(deps, request, reply, deployment === undefined ? { global: true } : { deploymentId: deployment });
  });
};

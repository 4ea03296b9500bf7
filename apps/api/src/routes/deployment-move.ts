import { z } from '@berth/shared/config';
import { BerthError } from '@berth/shared/errors';
import type { ApiConfig } from '../config.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import type { Releases } from '../releases.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { idParams } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';
import { bodyOf, zodBody } from '../zod-body.ts';

export interface DeploymentMoveOptions {
  releases: Pick<Releases, 'moveTo'>;
  config: Urls & Pick<ApiConfig, 'BERTH_RUNTIME'>;
}

/** `{ runtime }`: the runtime the deployment is to run on, which must be the installation's (said twice: a typo moves nothing). */
export const moveSchema = z
  .object({ runtime: z.enum(['docker', 'swarm']).meta({ description: "the installation's runtime (BERTH_RUNTIME): the deployment moves there" }) })
  .strict();
export const moveBody = zodBody(moveSchema);

/**
 * `POST /api/deployments/:id/move { runtime }` (`berth migrate-runtime`): a live deployment the other
 * runtime started runs again here as a new deployment of the same image, which takes its URL once it
 * answers; the old one drains, then stops. 200 with the deployment itself when it runs here already.
 */
export const deploymentMoveRoutes: ApiPlugin<DeploymentMoveOptions> = async (app, { releases, config }) => {
  app.post(
    '/api/deployments/:id/move',
    {
      config: { action: 'deployment.redeploy', project: 'deployment' },
      schema: { params: idParams, body: moveBody, response: { 200: deploymentViewSchema, 202: deploymentViewSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const { runtime } = bodyOf(moveSchema, request);
      if (runtime !== config.BERTH_RUNTIME) {
        throw new BerthError('CONFLICT', `this installation runs ${config.BERTH_RUNTIME}; restart it with BERTH_RUNTIME=${runtime} first`);
      }
      const row = await releases.moveTo(request.params.id, runtime);
      if (row.id === request.params.id) return reply.status(200).send(deploymentView(row, config));
      return reply.status(202).header('location', `/api/deployments/${row.id}`).send(deploymentView(row, config));
    },
  );
};

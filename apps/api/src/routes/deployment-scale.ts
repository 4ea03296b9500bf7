import { z } from '@berth/shared/config';
import type { ProjectStore } from '@berth/shared/project-store';
import { checkReplicas, type ReplicaLimits, type ReplicaStore } from '@berth/shared/replica-store';
import type { ApiConfig } from '../config.ts';
import { parseBody } from '../deployment-input.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { idParams } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';

export type ReplicaConfig = Pick<ApiConfig, 'BERTH_RUNTIME' | 'SWARM_MAX_REPLICAS'>;

export interface DeploymentScaleOptions {
  replicas: ReplicaStore;
  projects: Pick<ProjectStore, 'get'>;
  config: Urls & ReplicaConfig;
}

/** What bounds a replica count on this installation. */
export function replicaLimits(config: ReplicaConfig): ReplicaLimits {
  return { runtime: config.BERTH_RUNTIME, max: config.SWARM_MAX_REPLICAS };
}

/**
 * `replicas` is checked by checkReplicas, not by a Fastify schema: the API's
 * ajv coerces types (`true` would become 1), and a count that is not one must
 * be INVALID_REPLICAS. The documented body is openapi-bodies.ts's scaleBody.
 */
export const scaleSchema = z.object({ replicas: z.unknown().optional() }).strict();

/** `PATCH /api/deployments/:id { replicas }`: the workers scale the deployment's service to it. */
export const deploymentScaleRoutes: ApiPlugin<DeploymentScaleOptions> = async (app, { replicas, projects, config }) => {
  app.patch(
    '/api/deployments/:id',
    { config: { access: 'deploy' }, schema: { params: idParams, response: { 200: deploymentViewSchema, ...errorResponses } } },
    async (request) => {
      const body = parseBody(scaleSchema, request.body);
      const count = checkReplicas(body.replicas, replicaLimits(config));
      const row = await replicas.scaleDeployment(request.params.id, count);
      request.log.info({ deploymentId: row.id, replicas: count }, 'deployment scaled');
      const project = await projects.get(row.project);
      return deploymentView(row, config, { current: project?.current_deployment_id === row.id });
    },
  );
};

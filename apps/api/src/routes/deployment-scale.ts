import { z } from '@berth/shared/config';
import type { ProjectStore } from '@berth/shared/project-store';
import { checkReplicas, type ReplicaLimits, type ReplicaStore } from '@berth/shared/replica-store';
import type { ApiConfig } from '../config.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { idParams } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';
import { bodyOf, zodBody } from '../zod-body.ts';

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
 * `replicas` as a body carries it: any value passes the parse, checkReplicas
 * then refuses what is not a count with INVALID_REPLICAS (not VALIDATION_FAILED,
 * and `true` is not 1). The metadata is what the OpenAPI document says of it.
 */
export function replicasField(note?: string) {
  const description = 'copies to run, 1 to SWARM_MAX_REPLICAS (more than 1 needs BERTH_RUNTIME=swarm); stopping is DELETE';
  return z
    .unknown()
    .meta({ type: 'integer', minimum: 1, description: note ? `${description}; ${note}` : description });
}

/**
 * `{ replicas }`. Optional to the parse, so a missing count is checkReplicas's
 * INVALID_REPLICAS too; required in the document, since the route needs it.
 */
export const scaleSchema = z
  .object({ replicas: replicasField().optional() })
  .strict()
  .meta({ required: ['replicas'] });
export const scaleBody = zodBody(scaleSchema);

/** `PATCH /api/deployments/:id { replicas }`: the workers scale the deployment's service to it. */
export const deploymentScaleRoutes: ApiPlugin<DeploymentScaleOptions> = async (app, { replicas, projects, config }) => {
  app.patch(
    '/api/deployments/:id',
    { config: { action: 'deployment.scale', project: 'deployment' }, schema: { params: idParams, body: scaleBody, response: { 200: deploymentViewSchema, ...errorResponses } } },
    async (request) => {
      const body = bodyOf(scaleSchema, request);
      const count = checkReplicas(body.replicas, replicaLimits(config));
      const row = await replicas.scaleDeployment(request.params.id, count);
      request.log.info({ deploymentId: row.id, replicas: count }, 'deployment scaled');
      const project = await projects.get(row.project);
      return deploymentView(row, config, { current: project?.current_deployment_id === row.id });
    },
  );
};

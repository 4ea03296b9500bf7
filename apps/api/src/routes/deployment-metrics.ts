import type { AppMetricStore } from '@berth/shared/app-metrics/metric-samples';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { ApiPlugin } from './api-plugin.ts';
import { idParams, loadDeployment } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';
import { metricRange, metricRangeQuery } from './metric-range.ts';

export interface DeploymentMetricRoutesOptions {
  store: Pick<DeploymentStore, 'get'>;
  metrics: Pick<AppMetricStore, 'series'>;
}

const nullableNumber = { type: ['number', 'null'] } as const;
const pointSchema = {
  type: 'object',
  properties: {
    at: { type: 'string' },
    cpu: { ...nullableNumber, description: 'CPU cores in use on average since the point before (1: one core busy)' },
    memoryBytes: { type: 'number' },
    memoryLimitBytes: { type: 'number', description: 'the container\'s memory limit (the host\'s memory when it has none)' },
    netRxBytesPerSecond: nullableNumber,
    netTxBytesPerSecond: nullableNumber,
    restarts: { type: 'integer' },
  },
  required: ['at', 'cpu', 'memoryBytes', 'memoryLimitBytes', 'netRxBytesPerSecond', 'netTxBytesPerSecond', 'restarts'],
  additionalProperties: false,
} as const;

const metricsSchema = {
  type: 'object',
  properties: {
    deploymentId: { type: 'string' },
    since: { type: 'string' },
    step: { type: 'integer', description: 'seconds between points' },
    replicas: {
      type: 'array',
      items: {
        type: 'object',
        properties: { container: { type: 'string' }, points: { type: 'array', items: pointSchema } },
        required: ['container', 'points'],
        additionalProperties: false,
      },
    },
  },
  required: ['deploymentId', 'since', 'step', 'replicas'],
  additionalProperties: false,
} as const;

/** `GET /api/deployments/:id/metrics`: what each replica of a deployment used (CPU, memory, network, restarts), sampled by the workers. */
export const deploymentMetricRoutes: ApiPlugin<DeploymentMetricRoutesOptions> = async (app, { store, metrics }) => {
  app.get(
    '/api/deployments/:id/metrics',
    {
      config: { action: 'project.read', project: 'deployment' },
      schema: { params: idParams, querystring: metricRangeQuery, response: { 200: metricsSchema, ...errorResponses } },
    },
    async (request) => {
      const { id } = request.params;
      await loadDeployment(store, id);
      const { since, step } = metricRange(request.query);
      return { deploymentId: id, since: since.toISOString(), step, replicas: await metrics.series(id, since, step) };
    },
  );
};

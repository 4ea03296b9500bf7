import type { RequestMetricStore } from '@berth/shared/app-metrics/request-metric-store';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import type { ProjectStore } from '@berth/shared/project-store';
import type { ApiPlugin } from './api-plugin.ts';
import { idParams, loadDeployment } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';
import { metricRange, metricRangeQuery } from './metric-range.ts';
import { projectParams } from './run-schemas.ts';

export interface RequestMetricRoutesOptions {
  metrics: Pick<RequestMetricStore, 'series' | 'deploymentSeries'>;
  projects: Pick<ProjectStore, 'get'>;
  deployments: Pick<DeploymentStore, 'get'>;
}

const count = { type: 'integer' } as const;
const seconds = (q: string) => ({ type: ['number', 'null'], description: `${q} latency in seconds: the upper bound of its histogram bucket (at most 41 % above the true value); null with no requests` }) as const;

const pointSchema = {
  type: 'object',
  properties: {
    at: { type: 'string', description: 'the start of the step' },
    requests: { ...count, description: 'every request, 1xx and odd codes included' },
    requestsPerSecond: { type: 'number' },
    status: {
      type: 'object',
      properties: { '2xx': count, '3xx': count, '4xx': count, '5xx': count },
      required: ['2xx', '3xx', '4xx', '5xx'],
      additionalProperties: false,
    },
    p50: seconds('median'),
    p95: seconds('95th percentile'),
    p99: seconds('99th percentile'),
  },
  required: ['at', 'requests', 'requestsPerSecond', 'status', 'p50', 'p95', 'p99'],
  additionalProperties: false,
} as const;

const text = { type: 'string' } as const;

/** What both answers hold after saying whose: the range, then the points. */
const rangeProperties = {
  since: text,
  step: { type: 'integer', description: 'seconds between points' },
  points: { type: 'array', items: pointSchema, description: 'steps that saw requests, oldest first' },
} as const;

const projectAnswer = {
  type: 'object',
  properties: { project: text, ...rangeProperties },
  required: ['project', 'since', 'step', 'points'],
  additionalProperties: false,
} as const;

const deploymentAnswer = {
  type: 'object',
  properties: { deploymentId: text, project: text, ...rangeProperties },
  required: ['deploymentId', 'project', 'since', 'step', 'points'],
  additionalProperties: false,
} as const;

/**
 * `GET /api/projects/:name/request-metrics`: requests to every deployment of a project through Caddy, by status class, with latency percentiles;
 * `GET /api/deployments/:id/request-metrics`: the same for one deployment.
 */
export const requestMetricRoutes: ApiPlugin<RequestMetricRoutesOptions> = async (app, { metrics, projects, deployments }) => {
  app.get(
    '/api/projects/:name/request-metrics',
    {
      config: { action: 'project.read', project: 'param' },
      schema: { params: projectParams, querystring: metricRangeQuery, response: { 200: projectAnswer, ...errorResponses } },
    },
    async (request) => {
      const { name } = request.params;
      const { since, step } = metricRange(request.query);
      if (!(await projects.get(name))) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
      return { project: name, since: since.toISOString(), step, points: await metrics.series(name, since, step) };
    },
  );

  app.get(
    '/api/deployments/:id/request-metrics',
    {
      config: { action: 'project.read', project: 'deployment' },
      schema: { params: idParams, querystring: metricRangeQuery, response: { 200: deploymentAnswer, ...errorResponses } },
    },
    async (request) => {
      const { id } = request.params;
      const { project } = await loadDeployment(deployments, id);
      const { since, step } = metricRange(request.query);
      return { deploymentId: id, project, since: since.toISOString(), step, points: await metrics.deploymentSeries(id, since, step) };
    },
  );
};

import type { RequestMetricStore } from '@berth/shared/app-metrics/request-metric-store';
import { BerthError } from '@berth/shared/errors';
import type { ProjectStore } from '@berth/shared/project-store';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { metricRange, metricRangeQuery } from './metric-range.ts';
import { projectParams } from './run-schemas.ts';

export interface RequestMetricRoutesOptions {
  metrics: Pick<RequestMetricStore, 'series'>;
  projects: Pick<ProjectStore, 'get'>;
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

const answerSchema = {
  type: 'object',
  properties: {
    project: { type: 'string' },
    since: { type: 'string' },
    step: { type: 'integer', description: 'seconds between points' },
    points: { type: 'array', items: pointSchema, description: 'steps that saw requests, oldest first' },
  },
  required: ['project', 'since', 'step', 'points'],
  additionalProperties: false,
} as const;

/** `GET /api/projects/:name/request-metrics`: requests to every deployment of a project through Caddy, by status class, with latency percentiles. */
export const requestMetricRoutes: ApiPlugin<RequestMetricRoutesOptions> = async (app, { metrics, projects }) => {
  app.get(
    '/api/projects/:name/request-metrics',
    {
      config: { action: 'project.read', project: 'param' },
      schema: { params: projectParams, querystring: metricRangeQuery, response: { 200: answerSchema, ...errorResponses } },
    },
    async (request) => {
      const { name } = request.params;
      const { since, step } = metricRange(request.query);
      if (!(await projects.get(name))) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
      return { project: name, since: since.toISOString(), step, points: await metrics.series(name, since, step) };
    },
  );
};

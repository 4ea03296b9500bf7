import { BerthError } from '@berth/shared/errors';
import type { LogSearch } from '@berth/shared/log-search/log-search';
import type { ProjectStore } from '@berth/shared/project-store';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface LogSearchRoutesOptions {
  search: Pick<LogSearch, 'search'>;
  projects: Pick<ProjectStore, 'get'>;
}

const foundLineSchema = {
  type: 'object',
  properties: {
    deploymentId: { type: 'string' },
    seq: { type: 'integer' },
    ts: { type: 'string' },
    stream: { type: 'string' },
    line: { type: 'string' },
  },
  required: ['deploymentId', 'seq', 'ts', 'stream', 'line'],
  additionalProperties: false,
} as const;

const pageSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: foundLineSchema },
    next: { type: ['string', 'null'], description: 'pass as `before` for older matches; null when there are none' },
  },
  required: ['items', 'next'],
  additionalProperties: false,
} as const;

const searchQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', minLength: 1, maxLength: 200, description: 'a substring (case-insensitive), or with regex=true a POSIX regular expression' },
    regex: { type: 'boolean', default: false },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    deployment: { type: 'string', minLength: 1, maxLength: 64, description: 'only this deployment of the project' },
    stream: { type: 'string', enum: ['build', 'runtime', 'system'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    before: { type: 'string', maxLength: 200, description: 'the `next` of the page before' },
  },
  required: ['q'],
  additionalProperties: false,
} as const;

const projectParams = { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 100 } }, required: ['name'] } as const;

/** Search across every stored line (build, runtime, Berth's own) of a project's deployments, newest first. */
export const logSearchRoutes: ApiPlugin<LogSearchRoutesOptions> = async (app, { search, projects }) => {
  app.get(
    '/api/projects/:name/logs',
    {
      config: { action: 'project.logs.read', project: 'param' },
      schema: { params: projectParams, querystring: searchQuery, response: { 200: pageSchema, ...errorResponses } },
    },
    async (request) => {
      const { name } = request.params;
      if (!(await projects.get(name))) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
      const { q, regex, since, until, deployment, stream, limit, before } = request.query;
      const range = { since: since ? new Date(since) : undefined, until: until ? new Date(until) : undefined };
      if (range.since && range.until && range.since > range.until) throw new BerthError('VALIDATION_FAILED', 'since is after until');
      return search.search(name, { q, regex, ...range, deployment, stream, limit, before });
    },
  );
};

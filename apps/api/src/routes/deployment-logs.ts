import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { LogStore } from '@berth/shared/log-store';
import { logStreams, stripAnsi } from '@berth/shared/log-line';
import type { ApiConfig } from '../config.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { idParams, loadDeployment } from './deployment-params.ts';
import { errorResponses } from './error-schema.ts';

export interface DeploymentLogRoutesOptions {
  store: Pick<DeploymentStore, 'get'>;
  logs: Pick<LogStore, 'read'>;
  config: Pick<ApiConfig, 'MAX_LOG_RESPONSE_BYTES'>;
}

const logLineSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    ts: { type: 'string' },
    stream: { type: 'string', enum: logStreams },
    line: { type: 'string' },
  },
  required: ['seq', 'ts', 'stream', 'line'],
  additionalProperties: false,
} as const;

const logsPageSchema = {
  type: 'object',
  properties: {
    deploymentId: { type: 'string' },
    lines: { type: 'array', items: logLineSchema },
    nextSince: { type: 'integer', description: 'pass as `since` for the next page' },
    hasMore: { type: 'boolean' },
  },
  required: ['deploymentId', 'lines', 'nextSince', 'hasMore'],
  additionalProperties: false,
} as const;

const logsQuery = {
  type: 'object',
  properties: {
    since: { type: 'integer', minimum: 0, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
    stream: { type: 'string', enum: logStreams },
    format: { type: 'string', enum: ['json', 'text'], default: 'json' },
  },
  additionalProperties: false,
} as const;

/** Stored log lines of one deployment, a page at a time (JSON, or plain text for people). */
export const deploymentLogRoutes: ApiPlugin<DeploymentLogRoutesOptions> = async (app, { store, logs, config }) => {
  app.get(
    '/api/deployments/:id/logs',
    {
      config: { action: 'project.logs.read', project: 'deployment' },
      schema: {
        params: idParams,
        querystring: logsQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: logsPageSchema },
              // `format=text`: the lines without colours, one per line; the next `since` is in x-next-since.
              'text/plain': { schema: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const q = request.query;
      await loadDeployment(store, id);
      const page = await logs.read(id, { afterSeq: q.since, limit: q.limit, stream: q.stream });
      const lines = withinBytes(page, config.MAX_LOG_RESPONSE_BYTES);
      const nextSince = lines.at(-1)?.seq ?? q.since;
      if (q.format === 'text') {
        return reply
          .type('text/plain; charset=utf-8')
          .header('x-next-since', String(nextSince))
          .send(lines.map((l) => `${stripAnsi(l.line)}\n`).join(''));
      }
      return { deploymentId: id, lines, nextSince, hasMore: lines.length < page.length || page.length === q.limit };
    },
  );
};

/** The longest prefix of `lines` whose text fits in `maxBytes` (at least one line, so paging always moves on). */
function withinBytes<L extends { line: string }>(lines: L[], maxBytes: number): L[] {
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    // As it will be sent: JSON escapes a control character as 6 bytes.
    bytes += Buffer.byteLength(JSON.stringify(lines[i]!.line)) + 64;
    if (bytes > maxBytes && i > 0) return lines.slice(0, i);
  }
  return lines;
}

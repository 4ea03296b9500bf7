import type { WorkerRegistry } from '@berth/shared/worker-registry';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

const workerSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'its name in logs' },
    host: { type: 'string' },
    pid: { type: 'integer' },
    concurrency: { type: 'integer', description: 'jobs it runs at once' },
    running: { type: 'array', items: { type: 'string' }, description: 'ids of the deployments it is working on' },
    startedAt: { type: 'string' },
    lastHeartbeat: { type: 'string' },
  },
  required: ['id', 'host', 'pid', 'concurrency', 'running', 'startedAt', 'lastHeartbeat'],
  additionalProperties: false,
} as const;

const workerListSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: workerSchema } },
  required: ['items'],
  additionalProperties: false,
} as const;

export interface WorkerRoutesOptions {
  workers: Pick<WorkerRegistry, 'list'>;
}

/** The live workers, from their heartbeats (a worker that stopped beating is gone within three periods). */
export const workerRoutes: ApiPlugin<WorkerRoutesOptions> = async (app, { workers }) => {
  app.get(
    '/api/workers',
    { config: { action: 'instance.read' }, schema: { response: { 200: workerListSchema, ...errorResponses } } },
    async () => ({ items: await workers.list() }),
  );
};

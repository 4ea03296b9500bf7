import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface HealthRoutesOptions {
  store: Pick<DeploymentStore, 'ping'>;
}

const okSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean' } },
  required: ['ok'],
  additionalProperties: false,
} as const;

const open = { action: 'public' } as const;

/** Liveness and readiness, the only routes open without a token. */
export const healthRoutes: ApiPlugin<HealthRoutesOptions> = async (app, { store }) => {
  app.get('/healthz', { config: open, schema: { response: { 200: okSchema } } }, async () => ({ ok: true }));
  app.get(
    '/readyz',
    { config: open, schema: { response: { 200: okSchema, ...errorResponses } } },
    async (_request, reply) => {
      try {
        await store.ping();
        return { ok: true };
      } catch {
        return reply.status(503).send({ error: { code: 'STORE_UNAVAILABLE', message: 'database unreachable' } });
      }
    },
  );
};

import type { FastifyPluginAsync } from 'fastify';
import type { DeploymentStore } from '@berth/shared/deployment-store';

export interface HealthRoutesOptions {
  store: Pick<DeploymentStore, 'ping'>;
}

const open = { config: { access: 'public' } } as const;

/** Liveness and readiness, the only routes open without a token. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { store }) => {
  app.get('/healthz', open, async () => ({ ok: true }));
  app.get('/readyz', open, async (_request, reply) => {
    try {
      await store.ping();
      return { ok: true };
    } catch {
      return reply.status(503).send({ error: { code: 'STORE_UNAVAILABLE', message: 'database unreachable' } });
    }
  });
};

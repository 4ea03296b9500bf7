import pino from 'pino';
import { SecretBox } from '@berth/shared/secret-box';
import { buildApp, type AppDeps } from './app.ts';
import { loadApiConfig } from './config.ts';
import { ApiMetrics } from './metrics.ts';

/**
 * The OpenAPI document the routes produce, without any service: the routes
 * are only registered (never called), so their dependencies are inert.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = loadApiConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1',
    BERTH_SECRET_KEY: 'a'.repeat(64),
    BASE_DOMAIN: 'berth.localhost',
  });
  const inert = new Proxy({}, { get: () => undefined });
  // What buildApp calls while building (not only when a route runs) needs a stand-in.
  const relay = { live: false, onTokenRevoked: () => () => {}, onOwnerChanged: () => () => {}, onLiveness: () => () => {} } as unknown as AppDeps['relay'];
  const secrets = new SecretBox(Buffer.alloc(32)); // the audit log derives its key while building
  const deps = new Proxy({ config, logger: pino({ level: 'silent' }), metrics: new ApiMetrics(), relay, secrets } as Partial<AppDeps>, {
    get: (target, key: keyof AppDeps) => target[key] ?? inert,
  }) as AppDeps;
  const app = await buildApp(deps);
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

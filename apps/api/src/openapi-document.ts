import pino from 'pino';
import { buildApp, type AppDeps } from './app.ts';
import { loadApiConfig } from './config.ts';

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
  const deps = new Proxy({ config, logger: pino({ level: 'silent' }) } as Partial<AppDeps>, {
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

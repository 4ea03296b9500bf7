import { z } from 'zod';

/**
 * Config helpers shared by the apps. Each app declares its own schema in
 * `src/config.ts`, parses `process.env` once at start and passes the frozen
 * result down; nothing else reads the environment.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}

export const env = {
  /** BERTH_RUNTIME: docker (plain containers on one machine) or swarm (services on Docker Swarm). */
  runtime: z.enum(['docker', 'swarm']).default('docker'),
  redisUrl: z.string().url('expected a redis:// URL').default('redis://127.0.0.1:6379'),
  databaseUrl: z.string().url('expected a postgres:// URL').default('postgres://berth:berth@127.0.0.1:5432/berth'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Names one installation; namespaces queue keys, channels and container labels. */
  instance: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'expected lowercase letters, digits and dashes (max 31)')
    .default('main'),
  baseDomain: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'expected a lowercase domain such as localhost')
    .default('localhost'),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  milliseconds: (fallback: number) => z.coerce.number().int().min(1).default(fallback),
  /** `true`/`false` (also 1/0, yes/no). */
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

/**
 * Which runtime runs the apps, and how many copies (Swarm tasks) one release
 * may ask for: the API refuses replicas past the bound (and more than one in
 * docker mode), the worker builds service specs within it.
 */
export const runtimeEnv = {
  BERTH_RUNTIME: env.runtime,
  SWARM_MAX_REPLICAS: z.coerce.number().int().min(1).max(100).default(10),
};

/** The variables every Berth program reads. */
export const commonEnv = {
  REDIS_URL: env.redisUrl,
  DATABASE_URL: env.databaseUrl,
  LOG_LEVEL: env.logLevel,
  BERTH_INSTANCE: env.instance,
  /** How often each process publishes its metrics to Redis for the API's /metrics (they expire after three periods). */
  METRICS_PUBLISH_MS: env.milliseconds(5000),
};

export { z };

import { commonEnv, env, parseConfig, z } from '@berth/shared/config';

const schema = z.object({
  ...commonEnv,
  BASE_DOMAIN: env.baseDomain,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: env.port(3000),
  /** Scheme and port under which Caddy serves apps, for the URLs the API hands out. */
  PUBLIC_SCHEME: z.enum(['http', 'https']).default('http'),
  PUBLIC_PORT: env.port(8080),
  /** An admin API token to accept (registered at start). Without one, a token is generated once and logged. */
  BERTH_ADMIN_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  /** Deployments one token may create per window. */
  DEPLOY_RATE_LIMIT: env.positiveInt(60),
  DEPLOY_RATE_WINDOW_MS: env.milliseconds(60_000),
  MAX_ARCHIVE_BYTES: env.positiveInt(100 * 1024 * 1024),
  DEFAULT_APP_PORT: env.port(3000),
  /** How long a request waits for Redis to accept a job before answering 503. */
  QUEUE_TIMEOUT_MS: env.milliseconds(5000),
  SSE_HEARTBEAT_MS: env.milliseconds(15_000),
  /** Bytes an SSE viewer may have unsent before it is told to resume and disconnected. */
  SSE_MAX_BUFFER_BYTES: env.positiveInt(8 * 1024 * 1024),
});

export type ApiConfig = Readonly<z.infer<typeof schema>>;

export function loadApiConfig(source: Record<string, string | undefined>): ApiConfig {
  return parseConfig(schema, source);
}

import { commonEnv, env, parseConfig, runtimeEnv, z } from '@berth/shared/config';
import { secretKeyEnv } from '@berth/shared/secret-box';

const schema = z.object({
  ...commonEnv,
  ...secretKeyEnv,
  /** The workers' runtime (docker refuses more than one replica) and the most replicas one deployment may ask for. */
  ...runtimeEnv,
  /** Allow git URLs whose host is local or private (a git server on this machine or network). Off: SSRF. */
  GIT_ALLOW_PRIVATE_HOSTS: env.flag(false),
  /** Allow webhook URLs whose host is local or private (a receiver on your own network). Off: SSRF. */
  WEBHOOK_ALLOW_PRIVATE_HOSTS: env.flag(false),
  BASE_DOMAIN: env.baseDomain,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: env.port(3000),
  /**
   * Also serve on this unix socket (absolute path; its directory is made 0700, the socket 0600), e.g.
   * for a Caddy container that mounts the directory: the API is reached without a new network listener.
   */
  API_SOCKET_PATH: z.string().regex(/^\/[^\0]*[^/]$/, 'expected an absolute file path').max(100).optional(),
  /** Scheme and port under which Caddy serves apps, for the URLs the API hands out. */
  PUBLIC_SCHEME: z.enum(['http', 'https']).default('http'),
  PUBLIC_PORT: env.port(8080),
  /** The port Caddy serves custom domains on over HTTPS (router-sync's CADDY_HTTPS_LISTEN), for their URLs. */
  PUBLIC_HTTPS_PORT: env.port(8443),
  /** The admin API token to accept (registered at start; changing it retires the old one). */
  BERTH_ADMIN_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  /**
   * Where a generated admin token is written (mode 0600) when BERTH_ADMIN_TOKEN
   * is not set and no token exists yet. Never logged.
   */
  BERTH_ADMIN_TOKEN_FILE: z.string().min(1).optional(),
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
  /** Open event streams one token may have on one API process (429 past it). */
  MAX_EVENT_STREAMS_PER_TOKEN: env.positiveInt(100),
  /** How often open event streams re-check their token (a revoked token's streams end within this). */
  TOKEN_RECHECK_MS: env.milliseconds(2000),
  /** Archive uploads one API process reads at once (429 past it): memory stays under this × MAX_ARCHIVE_BYTES. */
  MAX_CONCURRENT_UPLOADS: env.positiveInt(4),
  /** How long an upload past that waits for a slot before the 429. */
  UPLOAD_SLOT_WAIT_MS: env.milliseconds(10_000),
  /** Bytes of log text one `GET …/logs` answer carries at most (it says hasMore and where to go on). */
  MAX_LOG_RESPONSE_BYTES: env.positiveInt(4 * 1024 * 1024),
});

export type ApiConfig = Readonly<z.infer<typeof schema>>;

export function loadApiConfig(source: Record<string, string | undefined>): ApiConfig {
  return parseConfig(schema, source);
}

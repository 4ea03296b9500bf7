import { logDrainUrlEnv } from '@berth/shared/log-drain-target';
import { commonEnv, env, parseConfig, privateHostsEnv, runtimeEnv, z } from '@berth/shared/config';
import { backupEnv } from '@berth/shared/backup-files';
import { backupScheduleEnv } from '@berth/shared/backup-schedule';
import { secretKeyEnv } from '@berth/shared/secret-box';
import { domainProofEnv } from './domain-proof.ts';

/** An image reference (repository, optional registry and tag; no digest): what a service runs. */
const imageRef = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/:-]{0,199}$/, 'expected an image reference such as postgres:16')
    .default(fallback);

/** The API's settings; each one's `.describe()` is its line in docs/settings.md (`npm run docs:tables`). */
export const apiEnv = z.object({
  ...commonEnv,
  ...secretKeyEnv,
  ...backupEnv,
  /** The workers' runtime (docker refuses more than one replica) and the most replicas one deployment may ask for. */
  ...runtimeEnv,
  ...privateHostsEnv,
  ...logDrainUrlEnv,
  BASE_DOMAIN: env.baseDomain,
  API_HOST: z.string().default('127.0.0.1').describe('The address the API listens on'),
  API_PORT: env.port(3000).describe('The port the API listens on'),
  API_SOCKET_PATH: z
    .string()
    .regex(/^\/[^\0]*[^/]$/, 'expected an absolute file path')
    .max(100)
    .optional()
    .describe(
      "Also serve on this unix socket (absolute path; its directory is made 0700, the socket 0600, a stale one replaced, removed on exit), e.g. for a Caddy container that mounts the directory (swarm mode): no new network listener",
    ),
  PUBLIC_SCHEME: z.enum(['http', 'https']).default('http').describe('The scheme of the app URLs the API hands out (how Caddy serves apps)'),
  PUBLIC_PORT: env.port(8080).describe('The port in the app URLs the API hands out'),
  PUBLIC_HTTPS_PORT: env.port(8443).describe("The port in custom domains' `https://` URLs (omitted when 443); match router-sync's CADDY_HTTPS_LISTEN"),
  BERTH_ADMIN_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('The admin API token to accept (registered at start; changing it retires the old one)'),
  BERTH_ADMIN_TOKEN_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('Where a generated admin token is written (mode 0600) when BERTH_ADMIN_TOKEN is not set and no token exists yet; never logged'),
  DEPLOY_RATE_LIMIT: env.positiveInt(60).describe('Deployments one token may create per DEPLOY_RATE_WINDOW_MS (429 past it)'),
  DEPLOY_RATE_WINDOW_MS: env.milliseconds(60_000).describe('The window of DEPLOY_RATE_LIMIT'),
  LOGIN_RATE_LIMIT_PER_ACCOUNT: env
    .positiveInt(10)
    .describe('Sign-in attempts one account (email) may get per LOGIN_RATE_WINDOW_MS, right or wrong (429 with Retry-After past it)'),
  LOGIN_RATE_LIMIT_PER_ADDRESS: env.positiveInt(30).describe('Sign-in attempts one client address may make per LOGIN_RATE_WINDOW_MS (429 with Retry-After past it)'),
  LOGIN_RATE_WINDOW_MS: env.milliseconds(15 * 60_000).describe('The window of the sign-in limits'),
  SESSION_IDLE_MS: env.milliseconds(12 * 3600_000).describe('A dashboard sign-in nobody used for this long ends (the person signs in again)'),
  SESSION_MAX_MS: env.milliseconds(7 * 24 * 3600_000).describe('A dashboard sign-in ends this long after it began, used or not'),
  MAX_ARCHIVE_BYTES: env.positiveInt(100 * 1024 * 1024).describe('Larger archive uploads get 413'),
  DEFAULT_APP_PORT: env.port(3000).describe('The app port when a request names none'),
  QUEUE_TIMEOUT_MS: env.milliseconds(5000).describe('How long a request waits for Redis to accept a job before answering 503'),
  SSE_HEARTBEAT_MS: env.milliseconds(15_000).describe('Heartbeat comments on idle event streams this often'),
  SSE_MAX_BUFFER_BYTES: env
    .positiveInt(8 * 1024 * 1024)
    .describe('Bytes an event stream viewer may have unsent before it is told to resume (`overflow`) and disconnected'),
  MAX_EVENT_STREAMS_PER_TOKEN: env.positiveInt(100).describe('Open event streams one token may have on one API process (429 past it)'),
  TOKEN_RECHECK_MS: env
    .milliseconds(2000)
    .describe("How often open event streams re-check their token (a revoked token's streams end within this); a verified token is remembered at most this long"),
  MAX_CONCURRENT_UPLOADS: env
    .positiveInt(4)
    .describe('Archive uploads one API process reads at once (429 past it): memory stays under this × MAX_ARCHIVE_BYTES'),
  UPLOAD_SLOT_WAIT_MS: env.milliseconds(10_000).describe('How long an upload past MAX_CONCURRENT_UPLOADS waits for a slot before the 429'),
  STRANGER_RATE_LIMIT: env
    .positiveInt(120)
    .describe('Requests one client address may make per STRANGER_RATE_WINDOW_MS to the git hook and the TLS question, and credentials that fail to check (429 past it)'),
  STRANGER_RATE_WINDOW_MS: env.milliseconds(60_000).describe('The window of STRANGER_RATE_LIMIT'),
  MAX_DOMAINS_PER_PROJECT: env.positiveInt(20).describe('Custom domains one project may have, pending ones included (409 LIMIT_REACHED past it)'),
  RUN_TIMEOUT_MS: env.milliseconds(60 * 60_000).describe("How long a one-off run (POST /api/projects/:name/runs) may take before it is killed and recorded failed (RUN_TIMED_OUT); a job's own timeoutSeconds wins for its runs"),
  MAX_JOBS_PER_PROJECT: env.positiveInt(20).describe('Scheduled jobs one project may have (409 LIMIT_REACHED past it)'),
  MAX_VOLUMES_PER_PROJECT: env.positiveInt(5).describe('Volumes one project may have (409 LIMIT_REACHED past it)'),
  MAX_SERVICES_PER_PROJECT: env.positiveInt(5).describe('Managed services (Postgres, Redis) one project may have (409 LIMIT_REACHED past it)'),
  ...backupScheduleEnv,
  BERTH_POSTGRES_IMAGE: imageRef('postgres:16').describe('The image a Postgres service runs; a `version` replaces its tag (scripts/make-service-images.sh makes berth/postgres:15 with no registry)'),
  BERTH_REDIS_IMAGE: imageRef('redis:7').describe('The image a Redis service runs; a `version` replaces its tag (scripts/make-service-images.sh makes berth/redis:7 with no registry)'),
  ...domainProofEnv,
  TERMINAL_IDLE_MS: env.milliseconds(15 * 60_000).describe('A terminal session (GET /api/deployments/:id/exec) with no input from its client for this long is closed (output does not keep it open)'),
  MAX_TERMINAL_SESSIONS_PER_USER: env
    .positiveInt(3)
    .describe('Terminal sessions one person (or one token without an owner) may have open on one API process (429 TOO_MANY_TERMINALS past it)'),
  MAX_TERMINAL_SESSIONS: env.positiveInt(50).describe("Terminal sessions one API process holds open in all, everyone's together (429 TOO_MANY_TERMINALS past it)"),
  LOG_SEARCH_TIMEOUT_MS: env.milliseconds(5000).describe('How long one log search (GET /api/projects/:name/logs) may run before it is answered 503 LOG_SEARCH_TIMEOUT'),
  MAX_LOG_RESPONSE_BYTES: env
    .positiveInt(4 * 1024 * 1024)
    .describe('Bytes of log text one `GET …/logs` answer carries at most (it says hasMore and where to go on)'),
});

export type ApiConfig = Readonly<z.infer<typeof apiEnv>>;

export function loadApiConfig(source: Record<string, string | undefined>): ApiConfig {
  return parseConfig(apiEnv, source);
}

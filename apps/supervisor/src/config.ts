import { commonEnv, env, parseConfig, setting, z } from '@berth/shared/config';

const stateDir = z
  .string()
  .min(1, 'expected a directory')
  .describe('Where the state file, the control socket, `logs/`, the local admin token and key live (`npm run up` sets `.berth`)');

/** The supervisor's settings; each one's `.describe()` is its line in docs/settings.md (`npm run docs:tables`). */
export const supervisorEnv = z.object({
  LOG_LEVEL: env.logLevel,
  BERTH_STATE_DIR: stateDir,
  BERTH_WORKERS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(1)
    .describe('Worker processes to run (`npm run up -- --workers N`; `npm run scale -- worker=N` changes it)'),
  BERTH_SUPERVISE_CADDY: env.flag(false).describe('Run Caddy too (`npm run up` sets it when no Caddy answers on the admin address)'),
  CADDY_HTTP_PORT: env.port(8080).describe("Caddy's HTTP port, for the Caddyfile the supervised Caddy starts with"),
  BERTH_LOG_MAX_BYTES: env.positiveInt(10 * 1024 * 1024).describe("Each process's log file is rotated at this size"),
  BERTH_LOG_FILES: env.positiveInt(5).describe('Rotated log files kept per process (`<name>.log.1` … `.N`)'),
  BERTH_RESTART_DELAY_MS: env
    .milliseconds(1_000)
    .describe('The first restart delay after a crash; it doubles with each crash in a row, up to BERTH_RESTART_MAX_DELAY_MS'),
  BERTH_RESTART_MAX_DELAY_MS: env.milliseconds(30_000).describe('The longest restart delay'),
  BERTH_STABLE_AFTER_MS: env.milliseconds(10_000).describe('A run this long counts as healthy: the back-off starts over'),
  BERTH_MAX_CRASHES: env
    .positiveInt(5)
    .describe('Crashes in a row (each within BERTH_STABLE_AFTER_MS of its start) after which a process is reported `failed` and left stopped'),
  BERTH_STOP_GRACE_MS: env
    .milliseconds(45_000)
    .describe("SIGTERM, then this long, then SIGKILL (also `npm run down`'s wait): more than a worker's SHUTDOWN_GRACE_MS, so it can hand its jobs back"),
  BERTH_ROLLING_PAUSE_MS: env.milliseconds(3_000).describe('During a rolling restart, how long each new process runs before the next one is restarted'),
});

export type SupervisorConfig = Readonly<z.infer<typeof supervisorEnv>>;

export function loadSupervisorConfig(source: Record<string, string | undefined>): SupervisorConfig {
  return parseConfig(supervisorEnv, source);
}

/** `npm run status`'s settings: what it checks, and how long it waits for each answer. */
export const statusEnv = z.object({
  ...commonEnv,
  BERTH_STATE_DIR: stateDir,
  CADDY_ADMIN_URL: env.caddyAdminUrl,
  DOCKER_SOCKET: z.string().default('/var/run/docker.sock').describe("The Docker daemon's socket `npm run status` asks"),
  BERTH_STATUS_TIMEOUT_MS: env.milliseconds(3_000).describe('How long `npm run status` waits for each answer (Redis, Postgres, Caddy, Docker, the supervisor)'),
});

export function loadStatusConfig(source: Record<string, string | undefined>): Readonly<z.infer<typeof statusEnv>> {
  return parseConfig(statusEnv, source);
}

/** `npm run scale` and `npm run restart`: only where the running supervisor is. */
export const controlEnv = z.object({ BERTH_STATE_DIR: stateDir.default('.berth') });

export function loadControlConfig(source: Record<string, string | undefined>): Readonly<z.infer<typeof controlEnv>> {
  return parseConfig(controlEnv, source);
}

/** `npm run install-service`: how many worker units to enable, and where `npm run up` kept the admin token. */
export const installServiceEnv = z.object({
  BERTH_WORKERS: z.string().default('1').describe('Worker units to enable (`--workers N` overrides it)'),
  BERTH_STATE_DIR: setting(z.string().min(1).optional(), 'Where the admin token `npm run up` made is read from', '`.berth` in the checkout'),
});

export function loadInstallServiceConfig(source: Record<string, string | undefined>): Readonly<z.infer<typeof installServiceEnv>> {
  return parseConfig(installServiceEnv, source);
}

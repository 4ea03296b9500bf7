import { env, parseConfig, z } from '@berth/shared/config';

const schema = z.object({
  LOG_LEVEL: env.logLevel,
  /** Where the state file, the control socket and `logs/` live (`npm run up` sets `.berth`). */
  BERTH_STATE_DIR: z.string().min(1, 'expected a directory'),
  /** Worker processes to run (`npm run up -- --workers N`; `npm run scale -- worker=N` changes it). */
  BERTH_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  /** Run Caddy too (when `up` found none answering on the admin address). */
  BERTH_SUPERVISE_CADDY: env.flag(false),
  /** Caddy's HTTP port, for the Caddyfile it starts with. */
  CADDY_HTTP_PORT: env.port(8080),
  /** Each process's log file is rotated at this size… */
  BERTH_LOG_MAX_BYTES: env.positiveInt(10 * 1024 * 1024),
  /** …and this many rotated files are kept (`<name>.log.1` … `.N`). */
  BERTH_LOG_FILES: env.positiveInt(5),
  /** The first restart's delay after a crash; it doubles with each crash in a row, up to the maximum. */
  BERTH_RESTART_DELAY_MS: env.milliseconds(1_000),
  BERTH_RESTART_MAX_DELAY_MS: env.milliseconds(30_000),
  /** A run this long counts as healthy: the back-off starts over. */
  BERTH_STABLE_AFTER_MS: env.milliseconds(10_000),
  /** Crashes in a row (each within BERTH_STABLE_AFTER_MS of its start) after which a process is reported and left stopped. */
  BERTH_MAX_CRASHES: env.positiveInt(5),
  /** SIGTERM, then this long, then SIGKILL: more than a worker's SHUTDOWN_GRACE_MS (30 s), so it can hand its jobs back. */
  BERTH_STOP_GRACE_MS: env.milliseconds(45_000),
  /** During a rolling restart, how long each new process runs before the next one is restarted. */
  BERTH_ROLLING_PAUSE_MS: env.milliseconds(3_000),
});

export type SupervisorConfig = Readonly<z.infer<typeof schema>>;

export function loadSupervisorConfig(source: Record<string, string | undefined>): SupervisorConfig {
  return parseConfig(schema, source);
}

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { commonEnv, ConfigError, env, parseConfig, runtimeEnv, z } from '@berth/shared/config';
import { secretKeyEnv } from '@berth/shared/secret-box';

const schema = z.object({
  ...commonEnv,
  ...secretKeyEnv,
  /** How long a release that lost the project URL keeps serving requests already on their way, before it stops. */
  DRAIN_MS: env.milliseconds(30_000),
  /**
   * How long a stopped deployment's app keeps running before the worker removes it: its route goes
   * first (router-sync follows the status change within milliseconds), so requests Caddy already
   * forwarded are answered rather than refused. Swarm adds its own ~2 s before stopping tasks.
   */
  STOP_ROUTE_DELAY_MS: env.milliseconds(2_000),
  /** Releases per project whose images (and archives) are kept for rollback and redeploy. */
  RELEASES_KEPT: env.positiveInt(5),
  /** Outgoing webhooks: deliveries sent at once per worker, per-attempt deadline, tries, first retry delay (doubling, up to 1 h), outbox sweep. */
  WEBHOOK_CONCURRENCY: env.positiveInt(8),
  WEBHOOK_TIMEOUT_MS: env.milliseconds(10_000),
  WEBHOOK_ATTEMPTS: env.positiveInt(35),
  WEBHOOK_RETRY_BASE_MS: env.milliseconds(1000),
  WEBHOOK_SWEEP_MS: env.milliseconds(250),
  /** Allow webhook URLs whose host is local or private. Off: SSRF. */
  WEBHOOK_ALLOW_PRIVATE_HOSTS: env.flag(false),
  /** How long a job waits before asking again while another deployment of its project is being built. */
  PROJECT_BUSY_RETRY_MS: env.milliseconds(500),
  /** Allow git URLs whose host is local or private (a git server on this machine or network). Off: SSRF. */
  GIT_ALLOW_PRIVATE_HOSTS: env.flag(false),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: env.positiveInt(2),
  /** This worker's name in logs and `GET /api/workers` (`npm run up` sets worker-1, worker-2, …); default: host and pid. */
  WORKER_NAME: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/, 'expected letters, digits, ".", "_" or "-"').optional(),
  /** How often the worker writes its heartbeat; it expires after three periods without one. */
  WORKER_HEARTBEAT_MS: env.milliseconds(5_000),
  /** Docker network the app containers join; Caddy and the worker reach them on it. */
  BERTH_NETWORK: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/).optional(),
  /**
   * BERTH_RUNTIME docker: plain containers on this machine's Docker (the default); swarm: one service per
   * deployment, images through BERTH_REGISTRY. SWARM_MAX_REPLICAS: the most copies a deployment may run
   * (each runs as many as its row asks for: PATCH replicas).
   */
  ...runtimeEnv,
  /** Swarm mode: host:port of the registry every node pulls from. */
  BERTH_REGISTRY: z.string().regex(/^[a-zA-Z0-9.-]+(:\d{1,5})?$/, 'expected host or host:port').default('127.0.0.1:5000'),
  /** Swarm mode: how often each worker compares every live deployment's replicas with its service (a PATCH pokes it at once too). */
  REPLICA_RESYNC_MS: env.milliseconds(10_000),
  /**
   * Swarm mode: credentials for BERTH_REGISTRY, sent with each push and with
   * service create (every node pulls with them). The password directly or
   * from a file (`_FILE`, one line). Never logged.
   */
  BERTH_REGISTRY_USERNAME: z.string().min(1).optional(),
  BERTH_REGISTRY_PASSWORD: z.string().min(1).optional(),
  BERTH_REGISTRY_PASSWORD_FILE: z.string().min(1).optional(),
  CLONE_TIMEOUT_MS: env.milliseconds(120_000),
  BUILD_TIMEOUT_MS: env.milliseconds(15 * 60_000),
  /** Memory of one build (its RUN steps), with no swap on top: a step past it is OOM-killed. */
  BUILD_MEMORY_MB: env.positiveInt(2048),
  BUILD_CPUS: z.coerce.number().positive().max(64).default(1),
  /** Processes one build may run at once (a cgroup's pids.max); 0 turns the limit off. */
  BUILD_PIDS_MAX: z.coerce.number().int().min(0).default(1024),
  HEALTHCHECK_TIMEOUT_MS: env.milliseconds(60_000),
  MAX_EXTRACTED_BYTES: env.positiveInt(512 * 1024 * 1024),
  /** Files and folders an archive may create. */
  MAX_EXTRACTED_FILES: env.positiveInt(20_000),
  /** Total time an archive may take to unpack (millions of tiny entries stay under the other limits). */
  /** A failed build's own layers are removed this long after it failed (a concurrent build may be using one from the cache). */
  BUILD_LEFTOVER_GRACE_MS: env.milliseconds(60_000),
  EXTRACT_TIMEOUT_MS: env.milliseconds(60_000),
  CONTAINER_MEMORY_MB: env.positiveInt(512),
  CONTAINER_CPUS: z.coerce.number().positive().max(64).default(1),
  LOG_FLUSH_MS: env.milliseconds(20),
  /** Build output lines kept per deployment attempt (a runaway build cannot fill the database). */
  MAX_BUILD_LOG_LINES: env.positiveInt(100_000),
  /** Runtime (stdout/stderr) lines kept per deployment; older ones are trimmed. */
  RUNTIME_LOG_RETENTION_LINES: env.positiveInt(10_000),
  RUNTIME_LOG_LEASE_MS: env.milliseconds(10_000),
  RUNTIME_LOG_DISCOVERY_MS: env.milliseconds(5_000),
  /** Safety poll of each followed container; Docker's events drive the prompt crash checks. */
  RUNTIME_CHECK_INTERVAL_MS: env.milliseconds(30_000),
  /** BullMQ lock and stalled-check interval: how soon a dead worker's job is picked up again. */
  JOB_LOCK_MS: env.milliseconds(15_000),
  JOB_STALLED_INTERVAL_MS: env.milliseconds(10_000),
  SHUTDOWN_GRACE_MS: env.milliseconds(30_000),
  /** How often each worker runs the reaper (orphans, crashed containers, leftovers). */
  MAINTENANCE_INTERVAL_MS: env.milliseconds(10_000),
  /** How long a deployment may sit unchanged before the reaper judges it. */
  ORPHAN_GRACE_MS: env.milliseconds(30_000),
});

/** Registry credentials (swarm mode), when set. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

export type WorkerConfig = Readonly<z.infer<typeof schema>> & {
  network: string;
  workerName: string;
  registryCredentials: RegistryCredentials | undefined;
};

export function loadWorkerConfig(source: Record<string, string | undefined>): WorkerConfig {
  const parsed = parseConfig(schema, source);
  return Object.freeze({
    ...parsed,
    network: parsed.BERTH_NETWORK ?? `berth-${parsed.BERTH_INSTANCE}`,
    workerName: parsed.WORKER_NAME ?? `${os.hostname()}-${process.pid}`,
    registryCredentials: registryCredentials(parsed),
  });
}

/** Both or neither; the password from the variable or its file (whose content is never echoed). */
function registryCredentials(parsed: z.infer<typeof schema>): RegistryCredentials | undefined {
  const { BERTH_REGISTRY_USERNAME: username, BERTH_REGISTRY_PASSWORD: direct, BERTH_REGISTRY_PASSWORD_FILE: file } = parsed;
  if (direct && file) throw new ConfigError(['BERTH_REGISTRY_PASSWORD_FILE: set it or BERTH_REGISTRY_PASSWORD, not both']);
  let password = direct;
  if (file) {
    try {
      password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError([`BERTH_REGISTRY_PASSWORD_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
    if (!password) throw new ConfigError([`BERTH_REGISTRY_PASSWORD_FILE: ${file} is empty`]);
  }
  if (!username && !password) return undefined;
  if (!username) throw new ConfigError(['BERTH_REGISTRY_USERNAME: set it too (a registry password was given)']);
  if (!password) throw new ConfigError(['BERTH_REGISTRY_PASSWORD: set it (or BERTH_REGISTRY_PASSWORD_FILE) for BERTH_REGISTRY_USERNAME']);
  return { username, password };
}

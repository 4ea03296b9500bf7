import { readFileSync } from 'node:fs';
import os from 'node:os';
import { commonEnv, ConfigError, env, parseConfig, privateHostsEnv, readCertificateFile, runtimeEnv, setting, withRenamedVariables, z } from '@berth/shared/config';
import { backupEnv } from '@berth/shared/backup-files';
import { backupScheduleEnv } from '@berth/shared/backup-schedule';
import { secretKeyEnv } from '@berth/shared/secret-box';
import { logDrainEnv } from './drains/log-drain-settings.ts';

const proxyUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+\/?$/, 'expected http://[user:password@]host:port')
  .optional();

/** The worker's settings; each one's `.describe()` is its line in docs/settings.md (`npm run docs:tables`). */
export const workerEnv = z.object({
  ...commonEnv,
  ...secretKeyEnv,
  ...backupEnv,
  ...backupScheduleEnv,
  ...privateHostsEnv,
  ...runtimeEnv,
  DRAIN_MS: env.milliseconds(30_000).describe('How long a release that lost the project URL keeps serving requests already on their way, before it stops'),
  STOP_ROUTE_DELAY_MS: env
    .milliseconds(5_000)
    .describe(
      "How long a stopped deployment's app keeps running after its route was asked to go, so requests Caddy already forwarded are answered, not refused (Swarm adds its own ~2 s)",
    ),
  MAX_PREVIEWS_PER_PROJECT: env
    .positiveInt(10)
    .describe("Previews (promote=false) of one project that run at once; when a new one goes live, the oldest beyond it stop (a branch's older previews drain and stop anyway)"),
  RELEASES_KEPT: env.positiveInt(5).describe('Releases per project whose images (and archives) are kept for rollback and redeploy'),
  WEBHOOK_CONCURRENCY: env.positiveInt(8).describe('Outgoing webhook deliveries one worker sends at once'),
  WEBHOOK_TIMEOUT_MS: env.milliseconds(10_000).describe('The deadline of one webhook delivery attempt'),
  WEBHOOK_ATTEMPTS: env.positiveInt(35).describe('Tries per webhook delivery (about a day in all with the default back-off)'),
  WEBHOOK_RETRY_BASE_MS: env.milliseconds(1000).describe("A webhook delivery's first retry delay, doubling up to an hour"),
  WEBHOOK_SWEEP_MS: env.milliseconds(5000).describe("How often workers sweep the webhook outbox besides Postgres's notice of each recorded delivery (what a lost listening connection missed)"),
  ...logDrainEnv,
  PROJECT_BUSY_RETRY_MS: env.milliseconds(500).describe('How long a job waits before asking again while another deployment of its project is being built'),
  WORKER_CONCURRENCY: env.positiveInt(2).describe('Jobs (deployments) one worker process runs at once'),
  BACKUPS_KEPT: env.positiveInt(7).describe("A service's newest succeeded backups kept; after each new one, older ones (their rows and files in BACKUP_DIR) are removed"),
  BACKUPS_MAX_AGE_DAYS: z.coerce
    .number()
    .min(0)
    .default(0)
    .describe("Succeeded backups older than this many days are removed (rows and files; fractions allowed), except each service's newest; 0: kept by count only"),
  BACKUP_TIMEOUT_MS: env
    .milliseconds(4 * 3600_000)
    .describe('How long one service backup or restore may take: past it its command is killed and it fails with BACKUP_TIMED_OUT (`backup.failed` is sent)'),
  BACKUP_SWEEP_INTERVAL_MS: env
    .milliseconds(60_000)
    .describe("How often a worker applies BACKUPS_MAX_AGE_DAYS and removes backup files no backup wants any more (deleted projects' and services', failed writes)"),
  BACKUP_CONCURRENCY: env.positiveInt(2).describe('Service backups and restores one worker process carries out at once (one at a time per service whatever this says)'),
  RUN_CONCURRENCY: env.positiveInt(4).describe("One-off runs and scheduled jobs' runs one worker process runs at once (beside its deployments)"),
  WORKER_NAME: setting(
    z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/, 'expected letters, digits, ".", "_" or "-"').optional(),
    "This worker's name in logs and `GET /api/workers` (`npm run up` sets worker-1, worker-2, …)",
    '<host>-<pid>',
  ),
  WORKER_HEARTBEAT_MS: env.milliseconds(5_000).describe('How often the worker writes its heartbeat; it expires after three periods without one'),
  BERTH_NETWORK: env.network,
  BERTH_REGISTRY: z
    .string()
    .regex(/^[a-zA-Z0-9.-]+(:\d{1,5})?$/, 'expected host or host:port')
    .default('127.0.0.1:5000')
    .describe('Swarm mode: host:port of the registry images are pushed to and every node pulls from'),
  REPLICA_RESYNC_MS: env
    .milliseconds(10_000)
    .describe("Swarm mode: how often each worker compares every live deployment's replicas with its service (a PATCH pokes it at once too)"),
  REPLICA_PROBE_INTERVAL_MS: env
    .milliseconds(10_000)
    .describe("Swarm mode: how often each running task of a live deployment is asked its health path from outside (any HTTP answer counts as alive)"),
  REPLICA_PROBE_FAILURES: env
    .positiveInt(3)
    .describe('Swarm mode: unanswered probes in a row after which a task is replaced (one that never answered yet first gets HEALTHCHECK_TIMEOUT_MS from its start)'),
  IMAGE_ALLOW_LOCAL_REGISTRIES: env
    .flag(false)
    .describe("Allow prebuilt images from a registry on this host (one of your own on another port); Berth's own BERTH_REGISTRY stays refused under any name"),
  BERTH_REGISTRY_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe('Swarm mode: the user for BERTH_REGISTRY, sent with each push and with service create (every node pulls with it); both or neither with a password'),
  BERTH_REGISTRY_PASSWORD: z.string().min(1).optional().describe('Swarm mode: the password for BERTH_REGISTRY_USERNAME; never logged'),
  BERTH_REGISTRY_PASSWORD_FILE: z.string().min(1).optional().describe('Swarm mode: read the registry password from this file (one line) instead'),
  CLONE_TIMEOUT_MS: env.milliseconds(120_000).describe('How long a git clone may take'),
  BUILD_TIMEOUT_MS: env.milliseconds(15 * 60_000).describe('How long an image build may take'),
  BUILD_MEMORY_MB: env.positiveInt(2048).describe('Memory of one build (its RUN steps), with no swap on top: a step past it is killed and the build fails saying so'),
  APP_METRICS_INTERVAL_MS: env.milliseconds(10_000).describe('How often each Docker host\'s app containers are sampled (CPU, memory, network, restarts): GET /api/deployments/:id/metrics'),
  LOG_INDEX_INTERVAL_MS: env.milliseconds(10_000).describe('How often a worker groups newly stored log lines into the chunks log search indexes (one worker at a time); newer lines are searched directly meanwhile'),
  LOG_INDEX_CHUNK_LINES: env.positiveInt(500).describe('Log lines per search chunk: more makes indexing cheaper and each matching chunk slower to check'),
  APP_METRICS_RETENTION_DAYS: env.positiveInt(7).describe('App metric samples and request metrics older than this many days are deleted (past a day they are kept at one point per 5 minutes)'),
  AUDIT_RETENTION_DAYS: env.positiveInt(365).describe('Audit log rows older than this many days are deleted (at most once a day per worker; the deletion is itself recorded)'),
  BUILD_HOST_FIREWALL: z
    .enum(['on', 'off'])
    .default('on')
    .describe("on: an iptables rule refuses new connections from the build network to the Docker host itself (its services at the network's gateway); needs root on the Docker host. off: only with another firewall doing that"),
  BUILD_CPUS: z.coerce.number().positive().max(64).default(1).describe('CPUs of one build'),
  BUILD_PIDS_MAX: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024)
    .describe("Processes one build may run at once (a cgroup's pids.max; needs Docker's cgroupfs driver, checked at start); 0 turns the limit off"),
  BUILD_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A PEM bundle of extra CA certificates builds trust (a TLS-inspecting proxy's, a private registry's): generated builds' install and build steps get it (NODE_EXTRA_CA_CERTS; not in the running image), an app's own Dockerfile finds it at .berth-build-ca.pem in its context. `npm run up` sets it from NODE_EXTRA_CA_CERTS or /etc/ssl/certs/ca-certificates.crt",
    ),
  BUILD_HTTP_PROXY: proxyUrl.describe(
    "The proxy builds use for http:// (Docker's HTTP_PROXY/http_proxy build args, kept out of the image's history; masked in build logs). It must be reachable from the build network: not the Docker host's loopback. `npm run up` sets it from http_proxy",
  ),
  BUILD_HTTPS_PROXY: proxyUrl.describe('The proxy builds use for https:// (HTTPS_PROXY/https_proxy); `npm run up` sets it from https_proxy'),
  BUILD_NO_PROXY: z.string().min(1).optional().describe('Hosts builds reach without the proxy (NO_PROXY/no_proxy); `npm run up` sets it from no_proxy'),
  HEALTHCHECK_TIMEOUT_MS: env.milliseconds(60_000).describe('How long a new app may take to answer HTTP on its port'),
  RELEASE_TIMEOUT_MS: env.milliseconds(10 * 60_000).describe('How long a release command may run before the deployment fails with RELEASE_COMMAND_FAILED'),
  PROCESS_SETTLE_MS: env.milliseconds(3000).describe('How long a process besides web (berth.json processes, a Procfile) must stay up after it starts to count as started; one that exits sooner fails the deployment with PROCESS_EXITED'),
  VOLUME_MEASURE_INTERVAL_MS: env.milliseconds(60_000).describe("How often a worker measures the bytes each project volume holds (Docker's disk usage count walks every volume)"),
  MAX_EXTRACTED_BYTES: env.positiveInt(512 * 1024 * 1024).describe('Bytes an archive may unpack to (or a clone may take)'),
  MAX_EXTRACTED_FILES: env.positiveInt(20_000).describe('Files and folders an archive may create'),
  BUILD_LEFTOVER_GRACE_MS: env
    .milliseconds(60_000)
    .describe("A failed build's own layers are removed this long after it failed (a concurrent build may be using one from the cache)"),
  EXTRACT_TIMEOUT_MS: env.milliseconds(60_000).describe('Total time an archive may take to unpack (millions of tiny entries stay under the other limits)'),
  CONTAINER_MEMORY_MB: env.positiveInt(512).describe('Memory of one app container'),
  CONTAINER_CPUS: z.coerce.number().positive().max(64).default(1).describe('CPUs of one app container'),
  SERVICE_MEMORY_MB: env.positiveInt(512).describe('Memory of one managed service container (Postgres, Redis)'),
  SERVICE_CPUS: z.coerce.number().positive().max(64).default(1).describe('CPUs of one managed service container'),
  SERVICE_UPKEEP_INTERVAL_MS: env.milliseconds(5_000).describe('How often a worker makes missing service containers, carries out deletions and records their status'),
  SERVICE_HEALTH_INTERVAL_MS: env.milliseconds(5_000).describe("How often Docker checks that a service accepts clients (its status turns running after the first check)"),
  LOG_FLUSH_MS: env.milliseconds(20).describe('Log lines are batched for this long (or 1000 lines) before they are stored'),
  MAX_BUILD_LOG_LINES: env.positiveInt(100_000).describe('Build output lines kept per deployment attempt (a runaway build cannot fill the database)'),
  RUNTIME_LOG_RETENTION_LINES: env.positiveInt(10_000).describe('Runtime (stdout/stderr) lines kept per deployment; older ones are trimmed'),
  RUNTIME_LOG_LEASE_MS: env.milliseconds(10_000).describe("One worker follows each running app's output under a lease this long; others take over within lease + discovery"),
  RUNTIME_LOG_DISCOVERY_MS: env.milliseconds(5_000).describe('How often workers look for running apps whose output nobody follows'),
  RUNTIME_CHECK_INTERVAL_MS: env
    .milliseconds(30_000)
    .describe("Safety poll of each followed container (one inspect; the full check, two queries more, only when it is not the run last found healthy); Docker's events (and the end of the app's output) drive the prompt crash checks"),
  JOB_LOCK_MS: env.milliseconds(15_000).describe("BullMQ's job lock: how soon a dead worker's job is picked up again"),
  JOB_STALLED_INTERVAL_MS: env.milliseconds(10_000).describe("BullMQ's stalled-job check interval"),
  SHUTDOWN_GRACE_MS: env.milliseconds(30_000).describe('On SIGTERM, how long the worker waits for running jobs before it hands them back'),
  REAPER_INTERVAL_MS: env
    .milliseconds(10_000)
    .describe('How often each worker runs the reaper (orphans, crashed containers, drained releases, leftovers); formerly MAINTENANCE_INTERVAL_MS'),
  ORPHAN_GRACE_MS: env.milliseconds(30_000).describe('How long a deployment may sit unchanged before the reaper judges it'),
});

/** Variables the worker still reads under an older name, with a warning at start: `{ OLD: 'NEW' }`. */
export const workerRenamedEnv = { MAINTENANCE_INTERVAL_MS: 'REAPER_INTERVAL_MS' } as const;

/** Registry credentials (swarm mode), when set. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

export type WorkerConfig = Readonly<z.infer<typeof workerEnv>> & {
  network: string;
  workerName: string;
  registryCredentials: RegistryCredentials | undefined;
};

/** `warn` hears of each renamed variable still set under its old name (the worker logs it at start). */
export function loadWorkerConfig(
  source: Record<string, string | undefined>,
  warn: (message: string) => void = (message) => process.emitWarning(message, 'DeprecationWarning'),
): WorkerConfig {
  const parsed = parseConfig(workerEnv, withRenamedVariables(source, workerRenamedEnv, warn));
  if (parsed.BUILD_CA_FILE) checkBuildCaFile(parsed.BUILD_CA_FILE);
  if (parsed.LOG_DRAIN_CA_FILE) readCertificateFile('LOG_DRAIN_CA_FILE', parsed.LOG_DRAIN_CA_FILE);
  return Object.freeze({
    ...parsed,
    network: parsed.BERTH_NETWORK ?? `berth-${parsed.BERTH_INSTANCE}`,
    workerName: parsed.WORKER_NAME ?? `${os.hostname()}-${process.pid}`,
    registryCredentials: registryCredentials(parsed),
  });
}

/** Both or neither; the password from the variable or its file (whose content is never echoed). */
function registryCredentials(parsed: z.infer<typeof workerEnv>): RegistryCredentials | undefined {
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

/** A bundle that cannot be read, or holds no certificate, stops the worker at start rather than every build. */
function checkBuildCaFile(file: string): void {
  readCertificateFile('BUILD_CA_FILE', file);
}

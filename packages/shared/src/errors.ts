/**
 * Typed errors with stable codes, and the one catalog that says, for each code, what an API client
 * sees (`status`), whether a job retry can fix it (`retryable`) and what it means (`description`,
 * which docs/errors.md is generated from: `npm run docs:tables`).
 *
 * Why the HTTP status lives here, in the shared package: the project's style guide once kept HTTP
 * out of `packages/shared`, but its newer "models for the next wave" follow fastify's
 * `lib/errors.js`: code, HTTP status, message and retryability on one line, so a code without a
 * status cannot compile and no second map can drift from this one (a `Partial` map in the API used
 * to turn every code it forgot into a silent 500). The status is plain data; nothing here imports
 * an HTTP library, and the API's error handler (apps/api/src/http-errors.ts) is still the one
 * place that answers with it.
 */

/** The statuses Berth answers errors with; a typo (4004, 430) does not compile. */
export type HttpErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

export interface ErrorSpec {
  /**
   * The HTTP status of an API answer carrying this code; `null` for a pipeline-only code: a client
   * sees it as a failed deployment's `errorCode` (`GET /api/deployments/:id`, its events, the CLI),
   * never as an HTTP status. A pipeline-only code that reached the API's error handler would be a
   * bug in Berth: it is logged and answered as INTERNAL (500), like any unexpected error.
   */
  readonly status: HttpErrorStatus | null;
  /** Whether BullMQ should try the job again (an infrastructure hiccup), or a retry would fail the same way. */
  readonly retryable: boolean;
  /** One line for docs/errors.md. */
  readonly description: string;
}

// One code per line. Order: request errors, then pipeline failures a retry cannot fix, then infrastructure.
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, retryable: false, description: 'The request (body, query, parameters or a form field) is not what the route accepts; the message says what.' },
  SOURCE_MISSING: { status: 400, retryable: false, description: 'A deployment names no source: neither an archive nor a git URL (nor a project with git settings).' },
  SOURCE_AMBIGUOUS: { status: 400, retryable: false, description: 'A deployment carries more than one source (an archive and a git URL), or a sourceType that contradicts the source it carries.' },
  INVALID_GIT_URL: { status: 400, retryable: false, description: 'The git URL or ref is not one Berth clones: a scheme other than https/http/git, credentials in it, or a local or private host.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, description: 'The request body has a content type the route does not take.' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, description: 'The request body is larger than the route allows.' },
  NOT_FOUND: { status: 404, retryable: false, description: 'No such route, deployment, project, token, webhook, domain or asset (or a project the caller may not see).' },
  UNAUTHORIZED: { status: 401, retryable: false, description: 'No credential, an unknown or expired token or session, or a git hook with a bad signature.' },
  SECOND_FACTOR_REQUIRED: { status: 401, retryable: false, description: 'Sign-in: the password was right and the account has a second factor; send its code (`totp`) or a recovery code (`recoveryCode`), or the one sent was wrong.' },
  FORBIDDEN: { status: 403, retryable: false, description: "The caller may not do this (its project role, or its token's scope), its token or key is revoked, or a signed-in request failed the CSRF check." },
  CONFLICT: { status: 409, retryable: false, description: 'The request contradicts the current state (a name taken, a deployment not in a state that allows it).' },
  LIMIT_REACHED: { status: 409, retryable: false, description: 'A project already has the most of something a setting allows (MAX_DOMAINS_PER_PROJECT, MAX_VOLUMES_PER_PROJECT, MAX_SERVICES_PER_PROJECT, MAX_JOBS_PER_PROJECT); remove one first.' },
  DOMAIN_RECORD_MISSING: { status: 409, retryable: false, description: "A custom domain's proof of ownership: DNS has no TXT record `_berth-challenge.<hostname>`; create it as the domain's `verification` says, then verify again." },
  DOMAIN_RECORD_MISMATCH: { status: 409, retryable: false, description: "The TXT record `_berth-challenge.<hostname>` exists, but none of its values is this domain's token (a record left from another registration?)." },
  DOMAIN_DNS_FAILED: { status: 409, retryable: false, description: 'DNS gave no answer to the ownership check (timed out, failed or refused; DOMAIN_VERIFY_DNS_SERVERS); try again later.' },
  RATE_LIMITED: { status: 429, retryable: false, description: 'Too many deployments, event streams, uploads or sign-in attempts at once; the Retry-After header says when to try again.' },
  INVALID_REPLICAS: { status: 400, retryable: false, description: 'replicas is not a whole number from 1 to SWARM_MAX_REPLICAS.' },
  REPLICAS_NEED_SWARM: { status: 409, retryable: false, description: 'More than one replica asked for while BERTH_RUNTIME is docker (one container per deployment).' },
  NEEDS_DOCKER_RUNTIME: { status: 409, retryable: false, description: 'Services, deployStrategy stop-first and process types besides web need BERTH_RUNTIME=docker: swarm mode does not have them yet.' },
  UNKNOWN_PROCESS_TYPE: { status: 400, retryable: false, description: "A process count names a type the project's current release does not run besides web (berth.json `processes` or its Procfile); web scales with replicas." },
  INVALID_LOG_QUERY: { status: 400, retryable: false, description: 'A log search whose `q` is not a regular expression Postgres accepts (with regex=true).' },
  LOG_SEARCH_TIMEOUT: { status: 503, retryable: false, description: 'A log search ran past LOG_SEARCH_TIMEOUT_MS; narrow it (a longer term, since/until, one deployment).' },
  VOLUME_IN_USE: { status: 409, retryable: false, description: "A running release of the project mounts the volume; stop it first, or DELETE with ?force=true (the data goes once no container uses it)." },
  NO_RELEASE: { status: 409, retryable: false, description: 'A run or a job needs the project\'s current release (its image, env and volumes), and the project has none yet (or it was never built into an image); deploy first.' },
  INVALID_SCHEDULE: { status: 400, retryable: false, description: "A job's or backup's schedule is not a cron expression of 5 fields (or 6, with seconds first; no random `H`), its timezone is not an IANA name, or a backup schedule fires more often than BACKUP_MIN_INTERVAL_MS allows." },
  DEPLOYMENT_NOT_LIVE: { status: 409, retryable: false, description: 'The deployment is not running (nor crashed and being restarted): there is nothing to scale, or no container to open a terminal in.' },
  TOO_MANY_TERMINALS: { status: 429, retryable: false, description: 'The caller already has MAX_TERMINAL_SESSIONS_PER_USER terminal sessions open on this API process (close one first), or the process holds MAX_TERMINAL_SESSIONS in all (try again when one ends).' },
  TERMINAL_ON_OTHER_NODE: { status: 409, retryable: false, description: "Swarm mode: the replica asked for runs on another node; a terminal reaches the tasks on the API's own node (ask for a replica that runs there, or leave replica out)." },
  TERMINAL_UNAVAILABLE: { status: 503, retryable: false, description: "This API process cannot reach Docker (DOCKER_HOST, the socket) to open a terminal: terminals need the API on the workers' Docker host (docker mode)." },
  DASHBOARD_NOT_BUILT: { status: 503, retryable: false, description: 'The web dashboard has no build to serve (run npm run build).' },
  SECRET_UNREADABLE: { status: 409, retryable: false, description: 'A sealed env value does not open with BERTH_SECRET_KEY (the key changed); setting the env again fixes it.' },
  SECRET_MISPLACED: { status: 409, retryable: false, description: "A sealed value does not belong to the row it is in: it was sealed for another place (another project's row, or env instead of build env) or altered, at the database level. Setting the env again fixes it." },
  INVALID_ARCHIVE: { status: 400, retryable: false, description: 'The archive is not a readable zip or tar.gz.' },
  EMPTY_ARCHIVE: { status: 400, retryable: false, description: 'The archive holds no files.' },
  ARCHIVE_TOO_LARGE: { status: 413, retryable: false, description: 'The archive is larger than MAX_ARCHIVE_BYTES, or unpacks past MAX_EXTRACTED_BYTES or MAX_EXTRACTED_FILES.' },
  UNSAFE_ARCHIVE: { status: 400, retryable: false, description: 'The archive has paths or links that lead outside itself, links in a .tar.gz, duplicate entries, or a zip directory listing more entries than the archive can hold.' },
  INVALID_ROOT_DIR: { status: 400, retryable: false, description: 'rootDir is not a folder inside the source (also one reached through a symlink that leaves it).' },
  UNSAFE_DOCKERFILE: { status: 400, retryable: false, description: "The Dockerfile asks for what a build may not do here: ADD from a URL, FROM another app's image or an image id, or it is a symlink." },
  INVALID_IMAGE_REFERENCE: { status: 400, retryable: false, description: 'The image is not a reference Docker reads (`host[:port]/path[:tag][@sha256:<64 hex>]`).' },
  IMAGE_REFUSED: { status: 400, retryable: false, description: "The image may not be deployed: one of Berth's own (a `berth*` name, an image id) or from Berth's registry or a registry on this host." },
  // Pipeline failures a retry cannot fix: a client sees them as a failed deployment's errorCode.
  IMAGE_PULL_FAILED: { status: null, retryable: false, description: 'The prebuilt image could not be pulled (no such image or tag, registry down or unreachable); the message says what the registry answered.' },
  IMAGE_PULL_UNAUTHORIZED: { status: null, retryable: false, description: "The registry refused the prebuilt image's pull: no or wrong credentials (set them: PUT /api/projects/:name/registry-auth)." },
  EXTRACT_TIMEOUT: { status: null, retryable: false, description: 'Unpacking took longer than EXTRACT_TIMEOUT_MS (a retry would take as long).' },
  MISSING_DOCKERFILE: { status: null, retryable: false, description: 'No Dockerfile, and no kind of project Berth can build without one was detected.' },
  UNSUPPORTED_NODE_VERSION: { status: null, retryable: false, description: 'No Dockerfile: the project asks for a Node version Berth does not offer.' },
  UNSUPPORTED_PYTHON_VERSION: { status: null, retryable: false, description: 'No Dockerfile: .python-version or runtime.txt asks for a Python version Berth does not offer.' },
  UNSUPPORTED_GO_VERSION: { status: null, retryable: false, description: "No Dockerfile: go.mod's go line is newer than Berth's Go toolchain." },
  AMBIGUOUS_GO_MAIN: { status: null, retryable: false, description: 'No Dockerfile: a Go module with no main package at rootDir and several under cmd/; goMain in berth.json picks one.' },
  UNSUPPORTED_PACKAGE_MANAGER: { status: null, retryable: false, description: 'No Dockerfile: a pnpm or yarn project on a build image without Corepack.' },
  NO_START_COMMAND: { status: null, retryable: false, description: 'No Dockerfile: nothing to start (Node: no start script, main, index.js, server.js, nor built static files; Python: no Procfile web line, main.py or app.py; Go: no main package at rootDir or under cmd/).' },
  INVALID_BUILD_CONFIG: { status: null, retryable: false, description: 'No Dockerfile: berth.json, package.json, pyproject.toml or requirements.txt cannot be read or is invalid, or berth.json sets a key that does not apply.' },
  GIT_CLONE_FAILED: { status: null, retryable: false, description: 'The repository could not be cloned (its host does not resolve, the ref does not exist, or it took longer than CLONE_TIMEOUT_MS).' },
  BUILD_FAILED: { status: null, retryable: false, description: 'The image build failed (a step failed, ran out of memory, or took longer than BUILD_TIMEOUT_MS); the logs say why.' },
  IMAGE_PUSH_FAILED: { status: null, retryable: false, description: 'Swarm mode: the built image could not be pushed to the registry (down, refused, or auth failed).' },
  VOLUME_NODE_UNAVAILABLE: { status: null, retryable: false, description: "Swarm mode: the node holding the project's volumes is gone from the swarm, down, paused or drained (its tasks would never start), or a release command or run had to mount them on another worker's node." },
  APP_EXITED: { status: null, retryable: false, description: 'The app exited instead of listening; its output is in the logs.' },
  PROCESS_EXITED: { status: null, retryable: false, description: 'A process besides web (berth.json `processes`, a Procfile) exited within its settle time (PROCESS_SETTLE_MS) instead of staying up; its output is in the logs.' },
  HEALTHCHECK_TIMEOUT: { status: null, retryable: false, description: 'The app never answered HTTP on its port within HEALTHCHECK_TIMEOUT_MS; its last output is in the logs.' },
  SOURCE_TOO_LARGE: { status: null, retryable: false, description: 'The cloned repository is larger than MAX_EXTRACTED_BYTES.' },
  ORPHANED: { status: null, retryable: false, description: 'In flight, but no live job owns it (its worker and its job are gone); failed by the reaper.' },
  CANCELED: { status: null, retryable: false, description: 'Canceled by request (DELETE or the CLI) while it was in flight.' },
  SUPERSEDED: { status: null, retryable: false, description: 'Canceled while queued: a newer deployment of the same project came (the newest wins).' },
  RELEASE_COMMAND_FAILED: { status: null, retryable: false, description: "The release command (the project's releaseCommand or berth.json's release) exited non-zero or ran past RELEASE_TIMEOUT_MS; the old release keeps serving, its output is in the logs." },
  RUN_IMAGE_GONE: { status: null, retryable: false, description: "A run's or a job's release image is no longer on the worker's Docker (removed by the reaper or by hand); the run is recorded failed. Deploy again." },
  RUN_TIMED_OUT: { status: null, retryable: false, description: 'A run took longer than its timeout (RUN_TIMEOUT_MS, or its job\'s timeoutSeconds) and was killed; its output is in its log.' },
  RUN_FAILED: { status: null, retryable: false, description: 'A run\'s command exited with a code other than 0 (exitCode says which); its output is in its log.' },
  BACKUP_CORRUPT: { status: 409, retryable: false, description: "A service backup's file does not check out under BERTH_SECRET_KEY (altered, truncated, another backup's file, or sealed with a key no longer configured): it is neither restored (nothing of it is applied) nor downloaded." },
  BACKUP_FAILED: { status: null, retryable: false, description: "A service backup or restore failed: pg_dump/pg_restore or redis-cli exited non-zero, the service was not running, or the backup store (BACKUP_DIR) refused the file; the message says what in Berth's words (the tool's own output, which may quote the data, is the backup's errorDetail, shown to the project's admins only)." },
  BACKUP_TIMED_OUT: { status: null, retryable: false, description: 'A service backup or restore took longer than BACKUP_TIMEOUT_MS: its command was stopped (a restore of Postgres applies all or nothing), or what hung outside it (the backup store, Docker) was given up a little later, and the service is free for the next one.' },
  IMAGE_GONE: { status: null, retryable: false, description: 'A release to start again (rollback, redeploy) whose image is gone.' },
  // Infrastructure failures: worth another attempt.
  DOCKER_UNAVAILABLE: { status: null, retryable: true, description: 'Docker did not answer or refused an operation; the job is retried before it fails.' },
  STORE_UNAVAILABLE: { status: 503, retryable: true, description: 'Postgres is not reachable right now (restarting, down, connection lost); try again shortly.' },
  QUEUE_UNAVAILABLE: { status: 503, retryable: true, description: 'Redis did not accept the job within QUEUE_TIMEOUT_MS; try again shortly.' },
  INTERNAL: { status: 500, retryable: true, description: 'An unexpected error; it is logged with its cause.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

/** Every code, in catalog order. */
export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BerthError';
    this.code = code;
    this.retryable = errorCatalog[code].retryable;
  }
}

export function isBerthError(err: unknown): err is BerthError {
  return err instanceof BerthError;
}

/** Wraps anything thrown into a BerthError, keeping typed ones as they are. */
export function toBerthError(err: unknown, fallback: ErrorCode = 'INTERNAL'): BerthError {
  if (err instanceof BerthError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BerthError(fallback, message, { cause: err });
}

/**
 * Typed errors with stable codes. Every error Berth reports to a user carries
 * one of these codes; the API maps codes to HTTP statuses, the worker decides
 * from `retryable` whether BullMQ should try again.
 */
export const errorCatalog = {
  // Request validation (API).
  VALIDATION_FAILED: { retryable: false },
  SOURCE_MISSING: { retryable: false },
  SOURCE_AMBIGUOUS: { retryable: false },
  INVALID_GIT_URL: { retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { retryable: false },
  PAYLOAD_TOO_LARGE: { retryable: false },
  NOT_FOUND: { retryable: false },
  UNAUTHORIZED: { retryable: false },
  FORBIDDEN: { retryable: false },
  CONFLICT: { retryable: false },
  RATE_LIMITED: { retryable: false },
  /** replicas is not a whole number from 1 to SWARM_MAX_REPLICAS. */
  INVALID_REPLICAS: { retryable: false },
  /** More than one replica asked for while BERTH_RUNTIME is docker (one container per deployment). */
  REPLICAS_NEED_SWARM: { retryable: false },
  /** The deployment is not running (nor crashed and being restarted): there is nothing to scale. */
  DEPLOYMENT_NOT_LIVE: { retryable: false },
  // Pipeline failures a retry cannot fix.
  INVALID_ARCHIVE: { retryable: false },
  EMPTY_ARCHIVE: { retryable: false },
  ARCHIVE_TOO_LARGE: { retryable: false },
  /** Unpacking took longer than EXTRACT_TIMEOUT_MS (a retry would take as long). */
  EXTRACT_TIMEOUT: { retryable: false },
  UNSAFE_ARCHIVE: { retryable: false },
  INVALID_ROOT_DIR: { retryable: false },
  MISSING_DOCKERFILE: { retryable: false },
  /** The Dockerfile asks for something a build may not do here (ADD from a URL, FROM another app's image). */
  UNSAFE_DOCKERFILE: { retryable: false },
  /** No Dockerfile: the project asks for a Node version Berth does not offer. */
  UNSUPPORTED_NODE_VERSION: { retryable: false },
  /** No Dockerfile: a pnpm/yarn project on a build image without Corepack. */
  UNSUPPORTED_PACKAGE_MANAGER: { retryable: false },
  /** No Dockerfile: a Node project with nothing to start (no start script, main, index.js, server.js, nor built static files). */
  NO_START_COMMAND: { retryable: false },
  /** No Dockerfile: berth.json or package.json cannot be read or is invalid. */
  INVALID_BUILD_CONFIG: { retryable: false },
  GIT_CLONE_FAILED: { retryable: false },
  BUILD_FAILED: { retryable: false },
  /** Swarm mode: the built image could not be pushed to the registry (down, refused, or auth failed). */
  IMAGE_PUSH_FAILED: { retryable: false },
  APP_EXITED: { retryable: false },
  HEALTHCHECK_TIMEOUT: { retryable: false },
  SOURCE_TOO_LARGE: { retryable: false },
  /** In flight, but no live job owns it (its worker and its job are gone). */
  ORPHANED: { retryable: false },
  CANCELED: { retryable: false },
  /** Canceled while queued: a newer deployment of the same project came (the newest wins). */
  SUPERSEDED: { retryable: false },
  /** A release to start again (rollback) whose image is gone. */
  IMAGE_GONE: { retryable: false },
  /** A sealed env value does not open with BERTH_SECRET_KEY (the key changed). */
  SECRET_UNREADABLE: { retryable: false },
  // Infrastructure failures: worth another attempt.
  DOCKER_UNAVAILABLE: { retryable: true },
  STORE_UNAVAILABLE: { retryable: true },
  QUEUE_UNAVAILABLE: { retryable: true },
  INTERNAL: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;

export type ErrorCode = keyof typeof errorCatalog;

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

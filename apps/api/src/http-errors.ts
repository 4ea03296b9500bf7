import type { FastifyError, FastifyInstance } from 'fastify';
import { BerthError, isBerthError, type ErrorCode } from '@berth/shared/errors';

/** The one place that maps error codes to HTTP statuses. */
const httpStatus: Partial<Record<ErrorCode, number>> = {
  // The env was sealed under another BERTH_SECRET_KEY: setting it again fixes it.
  SECRET_UNREADABLE: 409,
  VALIDATION_FAILED: 400,
  SOURCE_MISSING: 400,
  SOURCE_AMBIGUOUS: 400,
  INVALID_GIT_URL: 400,
  INVALID_ARCHIVE: 400,
  EMPTY_ARCHIVE: 400,
  UNSAFE_ARCHIVE: 400,
  INVALID_ROOT_DIR: 400,
  UNSAFE_DOCKERFILE: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INVALID_REPLICAS: 400,
  REPLICAS_NEED_SWARM: 409,
  DEPLOYMENT_NOT_LIVE: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  ARCHIVE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUEUE_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
};

export function statusFor(code: ErrorCode): number {
  return httpStatus[code] ?? 500;
}

/** Fastify's own errors (validation, body parsing, multipart limits) in Berth's vocabulary. */
function fromFastify(err: FastifyError): BerthError | undefined {
  if (err.validation) return new BerthError('VALIDATION_FAILED', err.message);
  switch (err.statusCode) {
    case 413:
      return new BerthError('PAYLOAD_TOO_LARGE', err.message);
    case 415:
      return new BerthError('UNSUPPORTED_MEDIA_TYPE', err.message);
    case 400:
    case 406:
    case 411:
    case 422:
      return new BerthError('VALIDATION_FAILED', err.message);
    default:
      return undefined;
  }
}

/** Errors that mean "Postgres is not reachable right now" (restarting, down, connection lost). */
const storeDown = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
function fromStore(err: { code?: unknown; message?: string }): BerthError | undefined {
  const connectionGone = typeof err.message === 'string' && /Connection terminated|connection.*(closed|ended)/i.test(err.message);
  if ((typeof err.code === 'string' && storeDown.has(err.code)) || connectionGone) {
    return new BerthError('STORE_UNAVAILABLE', 'the database is unavailable; try again shortly');
  }
  return undefined;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const berth = isBerthError(err) ? err : (fromStore(err) ?? fromFastify(err));
    if (!berth) {
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
    }
    const status = statusFor(berth.code);
    if (status >= 500) request.log.error({ err }, berth.message);
    if ('retryAfterSeconds' in berth) reply.header('retry-after', String(berth.retryAfterSeconds));
    return reply.status(status).send({ error: { code: berth.code, message: berth.message } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } }),
  );
}

import type { FastifyError, FastifyInstance } from 'fastify';
import { BerthError, errorCatalog, isBerthError, type ErrorCode, type HttpErrorStatus } from '@berth/shared/errors';

/**
 * The HTTP status an error code is answered with: the catalog's (packages/shared/src/errors.ts),
 * which gives every code one, or `null` for a pipeline-only code that no request should raise.
 */
export function statusFor(code: ErrorCode): HttpErrorStatus | null {
  return errorCatalog[code].status;
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
    // Not Berth's, or a pipeline-only code (no HTTP status) that a request should never raise: a bug.
    const status = berth && statusFor(berth.code);
    if (!berth || !status) {
      request.log.error({ err }, 'unhandled error');
      return reply.status(errorCatalog.INTERNAL.status).send({ error: { code: 'INTERNAL', message: 'internal error' } });
    }
    if (status >= 500) request.log.error({ err }, berth.message);
    if ('retryAfterSeconds' in berth) reply.header('retry-after', String(berth.retryAfterSeconds));
    return reply.status(status).send({ error: { code: berth.code, message: berth.message } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } }),
  );
}

import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redactUrl } from './redact.ts';

export type { Logger };
export { redactUrl };

/** Fastify's request shape in logs, with the URL redacted (tokens travel in `?token=` on event streams). */
function requestSerializer(req: { method?: string; url?: string; host?: string; ip?: string }) {
  return { method: req.method, url: redactUrl(req.url ?? ''), host: req.host, remoteAddress: req.ip };
}

/** Field names that never reach a log with their value, wherever they appear in a log object. */
const secretPaths = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'password',
  '*.password',
  'env',
  '*.env',
];

/**
 * Structured JSON logs on stdout (or `destination`), one logger per process,
 * named after the app; secrets redacted.
 */
export function createLogger(name: string, level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    base: { app: name, pid: process.pid },
    redact: { paths: secretPaths, censor: '[redacted]' },
    serializers: { req: requestSerializer },
  };
  return destination ? pino(options, destination) : pino(options);
}

import tls from 'node:tls';
import { env, readCertificateFile, z } from '@berth/shared/config';
import { logDrainUrlEnv } from '@berth/shared/log-drain-target';

/** The worker's log drain settings (part of workerEnv; docs/settings.md). */
export const logDrainEnv = {
  ...logDrainUrlEnv,
  LOG_DRAIN_POLL_MS: env
    .milliseconds(5000)
    .describe('How often each worker looks for log lines its drains have not delivered yet (a drain with a backlog is sent batch after batch)'),
  LOG_DRAIN_BATCH_LINES: env.positiveInt(500).describe('Lines per log drain batch (one syslog connection or one HTTPS POST)'),
  LOG_DRAIN_TIMEOUT_MS: env.milliseconds(10_000).describe('The deadline of one log drain batch'),
  LOG_DRAIN_RETRY_BASE_MS: env.milliseconds(1000).describe("A log drain's first retry delay after a failed batch, doubling up to LOG_DRAIN_RETRY_MAX_MS"),
  LOG_DRAIN_RETRY_MAX_MS: env.milliseconds(300_000).describe('The longest wait between two tries of a failing log drain (a paused one too)'),
  LOG_DRAIN_PAUSE_AFTER: env.positiveInt(5).describe('Failed batches in a row after which a log drain shows `paused` with its last error (it is still tried; a delivered batch resumes it)'),
  LOG_DRAIN_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("A PEM file of certificates a syslog+tls:// or https:// drain's receiver may chain to besides the system's (a private CA)"),
};

/** LOG_DRAIN_CA_FILE's certificates with the system's; undefined: the system's alone (checked at start: config.ts). */
export function drainCertificates(file: string | undefined): string[] | undefined {
  return file ? [...tls.rootCertificates, readCertificateFile('LOG_DRAIN_CA_FILE', file)] : undefined;
}

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.ts';

/**
 * The stack env of tests with managed services (issue 29): the local Debian-made Postgres and
 * Redis images (scripts/make-service-images.sh makes them, cached after the first time; give the
 * hook minutes) and a quick upkeep and health check, so a service runs within seconds.
 */
export async function serviceStackEnv(): Promise<Record<string, string>> {
  await promisify(execFile)('bash', [path.join(repoRoot, 'scripts/make-service-images.sh')], { timeout: 600_000 });
  return {
    BERTH_POSTGRES_IMAGE: 'berth/postgres:15',
    BERTH_REDIS_IMAGE: 'berth/redis:7',
    SERVICE_UPKEEP_INTERVAL_MS: '500',
    SERVICE_HEALTH_INTERVAL_MS: '1000',
  };
}

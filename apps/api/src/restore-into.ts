import { z } from '@berth/shared/config';
import type { BackupStore } from '@berth/shared/backup-store';
import type { BackupRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import { imageVersion } from '@berth/shared/service-kinds';
import type { ServiceStore } from '@berth/shared/service-store';
import type { ApiConfig } from './config.ts';
import { serviceEnvName, serviceName } from './service-input.ts';
import { zodBody } from './zod-body.ts';

// What POST /api/projects/:name/services/:service/backups/:id/restore takes: nothing (into the
// same service), or the name of a new service to restore into.

export const restoreSchema = z
  .object({
    into: serviceName
      .optional()
      .describe("a new service of the project, of the backup's type and its service's version, made for this restore (the backup's service is left untouched); absent: into the backup's own service"),
    envName: serviceEnvName.optional().describe("with into: the variable the apps get the new service's URL in; defaults to the name in capitals, - as _, and _URL (copy-db: COPY_DB_URL)"),
  })
  .strict();
export const restoreBody = zodBody(restoreSchema);

/** The default variable of a service restored into: `copy-db` → `COPY_DB_URL` (never the original's DATABASE_URL, which two services cannot share). */
export function restoredEnvName(into: string): string {
  return `${into.toUpperCase().replace(/-/g, '_')}_URL`;
}

export interface RestoreIntoDeps {
  backups: Pick<BackupStore, 'create' | 'load'>;
  services: Pick<ServiceStore, 'add' | 'byId' | 'requestDelete'>;
  config: Pick<ApiConfig, 'BERTH_RUNTIME' | 'MAX_SERVICES_PER_PROJECT' | 'BERTH_POSTGRES_IMAGE' | 'BERTH_REDIS_IMAGE'>;
}

/**
 * A new service of the project (the backup's type, its service's image, or the setting's when
 * that service is gone) and a queued restore of the backup into it. Checked before the service
 * is made: the backup (NOT_FOUND), that it finished (CONFLICT); then the name and variable
 * (CONFLICT), the limit (LIMIT_REACHED), swarm mode (NEEDS_DOCKER_RUNTIME, as adding one). A restore that cannot be recorded takes the new service
 * (and its volume) away again.
 */
export async function restoreIntoNewService(deps: RestoreIntoDeps, project: string, service: string, id: string, into: { name: string; envName?: string }): Promise<BackupRow> {
  const backup = await deps.backups.load(project, service, id);
  if (deps.config.BERTH_RUNTIME !== 'docker') throw new BerthError('NEEDS_DOCKER_RUNTIME', 'services need BERTH_RUNTIME=docker: restore into the same service');
  if (backup.kind !== 'backup') throw new BerthError('NOT_FOUND', `service ${service} has no backup ${id}`);
  if (backup.status !== 'succeeded') throw new BerthError('CONFLICT', `backup ${id} is ${backup.status}: only a finished backup can be restored`);
  const source = await deps.services.byId(backup.service_id);
  const image = source?.image ?? (backup.service_type === 'postgres' ? deps.config.BERTH_POSTGRES_IMAGE : deps.config.BERTH_REDIS_IMAGE);
  const added = await deps.services.add(
    project,
    { type: backup.service_type, name: into.name, image, version: imageVersion(image), envName: into.envName ?? restoredEnvName(into.name), previews: false },
    deps.config.MAX_SERVICES_PER_PROJECT,
  );
  try {
    return await deps.backups.create(project, added.name, 'restore', id, service);
  } catch (err) {
    await deps.services.requestDelete(project, added.name, true);
    throw err;
  }
}

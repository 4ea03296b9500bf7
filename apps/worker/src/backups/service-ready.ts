import type { ServiceRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import type { ServiceStore } from '@berth/shared/service-store';

/** The statuses of a service not yet up for the first time (a service just made, to restore into). */
const notYetUp = new Set(['creating', 'starting']);

/**
 * The service once the workers' upkeep has seen it accept clients, for a restore into a service
 * made for it (POST …/restore with `into`): its container is made by the upkeep, its data
 * folder initialised, after the restore was queued. A service already up for the first time
 * is returned as it is. BACKUP_FAILED when it fails to start (an image missing) or goes;
 * BACKUP_TIMED_OUT at `deadline`.
 */
export async function serviceReady(services: Pick<ServiceStore, 'byId'>, service: ServiceRow, deadline: number, pollMs = 1000): Promise<ServiceRow> {
  let current: ServiceRow | undefined = service;
  while (current && !current.delete_requested && notYetUp.has(current.status)) {
    if (Date.now() >= deadline) throw new BerthError('BACKUP_TIMED_OUT', `service ${service.name} was not up in time (status ${current.status}); its container log says why`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    current = await services.byId(service.id);
  }
  if (!current || current.delete_requested) throw new BerthError('BACKUP_FAILED', `service ${service.name} is gone`);
  if (current.status === 'failed') throw new BerthError('BACKUP_FAILED', `service ${service.name} could not be started: ${current.status_message ?? 'its container could not be made'}`);
  return current;
}

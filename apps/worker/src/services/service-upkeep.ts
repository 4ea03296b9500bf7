import type Docker from 'dockerode';
import type { BackupRetention } from '@berth/shared/backup-retention';
import type { ServiceRow } from '@berth/shared/db';
import { projectNetworkName, serviceContainerName, serviceVolumeName } from '@berth/shared/docker-names';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { ServiceStore } from '@berth/shared/service-store';
import { removeContainer } from '../docker/docker-containers.ts';
import {
  createAndStart,
  ensureProjectNetwork,
  inspectServiceContainer,
  listProjectNetworks,
  listServiceContainers,
  removeNetworkIfIdle,
  startIfStopped,
} from '../docker/docker-services.ts';
import { ensureVolume, removeVolume, volumeSizes } from '../docker/docker-volumes.ts';
import { serviceContainerSpec, serviceLabels, type ServiceLimits } from './service-spec.ts';

export interface ServiceUpkeepDeps {
  docker: Docker;
  services: Pick<ServiceStore, 'all' | 'password' | 'forget' | 'recordState' | 'recordUsage'>;
  /** A service deleted with its data loses its backups too (the backup sweep removes their files). */
  backups: Pick<BackupRetention, 'forgetService'>;
  limits: ServiceLimits;
  /** VOLUME_MEASURE_INTERVAL_MS: Docker's disk usage count walks every volume. */
  measureIntervalMs: number;
  logger: Logger;
}

/**
 * Keeps the installation's managed services as their rows say (every worker runs it; each step is
 * idempotent, so two at once do no harm): makes a missing container (network and volume first),
 * starts a stopped one (Docker's restart policy restarts one that exits; this covers the rest),
 * records status and restarts, carries out a DELETE (the data volume only with deleteData), removes
 * containers whose row is gone (a deleted project: its volumes stay) and idle project networks.
 */
export class ServiceUpkeep {
  private measuredAt = 0;
  private measuring: Promise<void> | undefined;

  constructor(private readonly deps: ServiceUpkeepDeps) {}

  async run(): Promise<void> {
    const { docker, services, limits, logger } = this.deps;
    const rows = await services.all();
    const containers = await listServiceContainers(docker, limits.instance);
    const ids = new Set(rows.map((r) => r.id));
    for (const c of containers.filter((c) => !ids.has(c.serviceId))) {
      await removeContainer(docker, c.name);
      logger.info({ container: c.name }, 'removed a service container whose service is gone (its data volume stays)');
    }
    for (const row of rows) {
      try {
        if (row.delete_requested) await this.remove(row);
        else await this.keep(row);
      } catch (err) {
        logger.warn({ err, service: row.name, project: row.project }, 'service upkeep failed; will retry');
      }
    }
    await this.removeIdleNetworks(rows);
    // Docker's disk usage count can take seconds on a busy host: it runs beside the next runs, never holding up a status.
    if (!this.measuring) {
      this.measuring = this.measure(rows.filter((r) => !r.delete_requested))
        .catch((err: unknown) => logger.warn({ err }, 'measuring service volumes failed; will retry'))
        .finally(() => (this.measuring = undefined));
    }
  }

  /** Waits for a measurement under way (closing). */
  async settle(): Promise<void> {
    await this.measuring;
  }

  private async keep(row: ServiceRow): Promise<void> {
    const { docker, services, limits, logger } = this.deps;
    const name = serviceContainerName(limits.instance, row.id);
    let state = await inspectServiceContainer(docker, name);
    if (!state) {
      await this.create(row);
      logger.info({ service: row.name, project: row.project, image: row.image }, 'service container started');
    } else if (state.status === 'stopped') {
      await startIfStopped(docker, name);
      logger.warn({ service: row.name, project: row.project, message: state.message }, 'service container was stopped; started it again');
    }
    state = (await inspectServiceContainer(docker, name)) ?? { status: 'creating', message: null, restarts: 0 };
    if (state.restarts > row.restarts) {
      logger.warn({ service: row.name, project: row.project, restarts: state.restarts, message: state.message }, 'service container exited and was restarted');
    }
    if (state.status !== row.status || state.message !== row.status_message || state.restarts !== row.restarts) {
      await services.recordState(row.id, state);
    }
  }

  /**
   * Its network, volume and container. A failure (an image that is not there: BERTH_POSTGRES_IMAGE /
   * BERTH_REDIS_IMAGE, version; Docker out of address pools for the network) is the service's status
   * until a later run gets through: GET says why.
   */
  private async create(row: ServiceRow): Promise<void> {
    const { docker, services, limits } = this.deps;
    try {
      const network = projectNetworkName(limits.instance, row.project);
      await ensureProjectNetwork(docker, network, { [labels.instance]: limits.instance, [labels.projectNetwork]: row.project });
      await ensureVolume(docker, serviceVolumeName(limits.instance, row.id), serviceLabels(limits.instance, row));
      await createAndStart(docker, serviceContainerSpec(row, services.password(row), limits));
    } catch (err) {
      const message = err instanceof Error ? err.message.slice(0, 300) : String(err);
      if (row.status !== 'failed' || row.status_message !== message) await services.recordState(row.id, { status: 'failed', message, restarts: 0 });
      throw err;
    }
  }

  private async remove(row: ServiceRow): Promise<void> {
    const { docker, services, limits, logger } = this.deps;
    await removeContainer(docker, serviceContainerName(limits.instance, row.id));
    if (row.delete_data && !(await removeVolume(docker, serviceVolumeName(limits.instance, row.id)))) return; // in use: next run
    if (row.delete_data) await this.deps.backups.forgetService(row.id);
    await services.forget(row.id);
    logger.info({ service: row.name, project: row.project, dataDeleted: row.delete_data }, 'service removed');
  }

  /** A project network none of the project's services needs any more (Docker refuses while an app is on it: next run). */
  private async removeIdleNetworks(rows: ServiceRow[]): Promise<void> {
    const needed = new Set(rows.filter((r) => !r.delete_requested).map((r) => r.project));
    for (const [network, project] of await listProjectNetworks(this.deps.docker, this.deps.limits.instance)) {
      if (!needed.has(project)) await removeNetworkIfIdle(this.deps.docker, network);
    }
  }

  private async measure(rows: ServiceRow[]): Promise<void> {
    if (rows.length === 0 || Date.now() - this.measuredAt < this.deps.measureIntervalMs) return;
    this.measuredAt = Date.now();
    const names = new Map(rows.map((r) => [serviceVolumeName(this.deps.limits.instance, r.id), r.id]));
    const sizes = await volumeSizes(this.deps.docker, new Set(names.keys()));
    for (const [volume, id] of names) {
      const bytes = sizes.get(volume);
      if (bytes !== undefined) await this.deps.services.recordUsage(id, bytes);
    }
  }
}

import type Docker from 'dockerode';
import type { Logger } from '@berth/shared/logger';
import type { VolumeStore } from '@berth/shared/volume-store';
import { listOwnedVolumes, removeVolume, volumeSizes, type OwnedVolume } from './docker/docker-volumes.ts';

export interface VolumeUpkeepDeps {
  docker: Docker;
  volumes: Pick<VolumeStore, 'ids' | 'recordUsage' | 'ended'>;
  instance: string;
  /** VOLUME_MEASURE_INTERVAL_MS: Docker's disk usage count walks every volume, so not on each reaper run. */
  measureIntervalMs: number;
  logger: Logger;
}

/**
 * Runs with the reaper: removes the Docker volumes of this installation whose row is gone (a
 * DELETE; Docker refuses while a container uses one, so a forced DELETE's volume goes once its
 * release stops) and a preview's own volumes once that preview is over, and records the bytes each
 * kept production volume holds.
 */
export class VolumeUpkeep {
  private measuredAt = 0;

  constructor(private readonly deps: VolumeUpkeepDeps) {}

  async run(): Promise<void> {
    const { docker, volumes, instance, logger } = this.deps;
    const owned = await listOwnedVolumes(docker, instance);
    if (owned.length === 0) return;
    const ids = await volumes.ids();
    const ended = await volumes.ended([...new Set(owned.flatMap((v) => v.preview ?? []))]);
    const spent = (v: OwnedVolume) => v.volumeId !== undefined && (!ids.has(v.volumeId) || (v.preview !== undefined && ended.has(v.preview)));
    for (const v of owned.filter(spent)) {
      if (await removeVolume(docker, v.name)) logger.info({ volume: v.name }, 'removed a volume whose project volume was deleted, or whose preview is over');
    }
    const kept = owned.filter((v) => v.volumeId !== undefined && ids.has(v.volumeId) && v.preview === undefined);
    if (kept.length === 0 || Date.now() - this.measuredAt < this.deps.measureIntervalMs) return;
    this.measuredAt = Date.now();
    const sizes = await volumeSizes(docker, new Set(kept.map((v) => v.name)));
    for (const v of kept) {
      const bytes = sizes.get(v.name);
      if (bytes !== undefined) await volumes.recordUsage(v.volumeId!, bytes);
    }
  }
}

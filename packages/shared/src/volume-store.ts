import { randomBytes } from 'node:crypto';
import type { Db, VolumeRow } from './db.ts';
import { isFinal, statusesWhere } from './deployment-state.ts';
import { BerthError } from './errors.ts';

export interface NewVolume {
  name: string;
  /** Checked by the caller (absolute, normalised, not a system folder): see apps/api/src/volume-input.ts. */
  mountPath: string;
}

/** Postgres' code for a unique violation (two requests adding the same name at once). */
const uniqueViolation = '23505';

/** Statuses of a production release whose container exists, and so mounts the project's volumes. */
const mounting = ['starting', 'running', 'crashed'] as const;

/** `vol` and 13 lowercase alphanumerics: part of the Docker volume's name (docker-names.ts volumeName). */
export function newVolumeId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'vol' + [...randomBytes(13)].map((b) => alphabet[b % 36]).join('');
}

/** True when one path is the other or lies under it: two mounts there would hide each other's files. */
export function mountsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * A project's named volumes. The rows are the truth: workers make a Docker
 * volume for each when a production release starts, remove Docker volumes
 * whose row is gone, and record how many bytes each holds (volume-upkeep.ts).
 */
export class VolumeStore {
  constructor(private readonly db: Db) {}

  /**
   * Adds one: NOT_FOUND without the project, LIMIT_REACHED at `limit`, CONFLICT when the name is
   * taken or the mount path overlaps another's. The project row is locked while it checks.
   */
  async add(project: string, volume: NewVolume, limit: number): Promise<VolumeRow> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
        if (!found) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
        const others = await trx.selectFrom('volumes').selectAll().where('project', '=', project).execute();
        if (others.length >= limit) {
          throw new BerthError('LIMIT_REACHED', `project ${project} has ${others.length} volumes, the most it may have (MAX_VOLUMES_PER_PROJECT); remove one first`);
        }
        if (others.some((o) => o.name === volume.name)) throw taken(project, volume.name);
        const overlapping = others.find((o) => mountsOverlap(o.mount_path, volume.mountPath));
        if (overlapping) {
          throw new BerthError('CONFLICT', `${volume.mountPath} overlaps ${overlapping.mount_path}, where volume ${overlapping.name} is mounted`);
        }
        return trx
          .insertInto('volumes')
          .values({ id: newVolumeId(), project, name: volume.name, mount_path: volume.mountPath })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === uniqueViolation) throw taken(project, volume.name);
      throw err;
    }
  }

  /** The project's volumes by name; NOT_FOUND without the project. */
  async list(project: string): Promise<VolumeRow[]> {
    const exists = await this.db.selectFrom('projects').select('name').where('name', '=', project).executeTakeFirst();
    if (!exists) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    return this.forProject(project);
  }

  /** The project's volumes by name (none for a project that does not exist): what a release mounts. */
  async forProject(project: string): Promise<VolumeRow[]> {
    return this.db.selectFrom('volumes').selectAll().where('project', '=', project).orderBy('name').execute();
  }

  /**
   * Removes the row (its Docker volume goes once no container uses it: volume-upkeep.ts).
   * NOT_FOUND when the project has no such volume; VOLUME_IN_USE while a production release of
   * the project is live (it mounts every volume), unless `force`.
   */
  async remove(project: string, name: string, force: boolean): Promise<VolumeRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('volumes').selectAll().where('project', '=', project).where('name', '=', name).forUpdate().executeTakeFirst();
      if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no volume ${name}`);
      if (!force) {
        const live = await trx
          .selectFrom('deployments')
          .select('id')
          .where('project', '=', project)
          .where('promote', '=', true)
          .where('status', 'in', [...mounting])
          .executeTakeFirst();
        if (live) {
          throw new BerthError('VOLUME_IN_USE', `release ${live.id} of ${project} mounts volume ${name}; stop it first, or add ?force=true (the data goes once no container uses it)`);
        }
      }
      await trx.deleteFrom('volumes').where('id', '=', row.id).execute();
      return row;
    });
  }

  /**
   * Swarm mode: the node holding the project's volumes. The first release to mount them records
   * `candidate` (the worker's node) on every volume of the project that has none; one added later
   * joins the node its siblings are on (one node per project: its tasks are placed there). The
   * project row is locked meanwhile, so two workers agree. Undefined when the project has no volume.
   */
  async pinToNode(project: string, candidate: string): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await trx.selectFrom('projects').select('name').where('name', '=', project).forUpdate().executeTakeFirst();
      const rows = await trx.selectFrom('volumes').select(['id', 'node_id']).where('project', '=', project).orderBy('created_at').execute();
      if (rows.length === 0) return undefined;
      const node = rows.find((r) => r.node_id !== null)?.node_id ?? candidate;
      await trx.updateTable('volumes').set({ node_id: node }).where('project', '=', project).where('node_id', 'is', null).execute();
      return node;
    });
  }

  /** The ids of every volume (each worker keeps the Docker volumes of these, and removes the rest of its installation's). */
  async ids(): Promise<Set<string>> {
    return new Set((await this.db.selectFrom('volumes').select('id').execute()).map((r) => r.id));
  }

  /** Of these deployments, those that are over (or gone): their previews' own volumes can go. */
  async ended(deploymentIds: readonly string[]): Promise<Set<string>> {
    if (deploymentIds.length === 0) return new Set();
    const live = await this.db.selectFrom('deployments').select('id').where('id', 'in', [...deploymentIds]).where('status', 'not in', statusesWhere(isFinal)).execute();
    const alive = new Set(live.map((r) => r.id));
    return new Set(deploymentIds.filter((id) => !alive.has(id)));
  }

  /** Records a measurement of the bytes a volume holds. */
  async recordUsage(id: string, bytes: number): Promise<void> {
    await this.db.updateTable('volumes').set({ bytes_used: bytes, measured_at: new Date() }).where('id', '=', id).execute();
  }
}

function taken(project: string, name: string): BerthError {
  return new BerthError('CONFLICT', `project ${project} already has a volume named ${name}`);
}

import { sql } from 'kysely';
import type { Db, DeploymentRow, DeployStrategy, ProjectRow, SkippedPush } from './db.ts';
import { BerthError } from './errors.ts';
import { newProjectId } from './ids.ts';

/** A project's build settings: what a deploy of the project builds from. */
export interface ProjectSettings {
  gitUrl?: string | null;
  ref?: string | null;
  rootDir?: string;
  port?: number | null;
  healthPath?: string;
  /** Previews get the project's env under the preview env (true), or the preview env only (false, the default). */
  previewsInheritEnv?: boolean;
  /** How a release replaces the one before (volumes: stop-first keeps one process on them). */
  deployStrategy?: DeployStrategy;
  /** Run once in each new production image before the URL moves; null: berth.json's `release`, if any. */
  releaseCommand?: string | null;
  /** Previews get volumes of their own (one per preview); false: previews get none. */
  previewVolumes?: boolean;
  /** Globs relative to the repository root: a push changing none of them builds nothing; null: every push builds. */
  watchPaths?: string[] | null;
}

/** Which of a project's two envs: production's (`env`) or the previews' (`previewEnv`). */
export type EnvLane = 'production' | 'preview';

const envColumns = {
  production: { env: 'env_sealed', buildEnv: 'build_env_sealed' },
  preview: { env: 'preview_env_sealed', buildEnv: 'preview_build_env_sealed' },
} as const;

export interface NewProject extends ProjectSettings {
  name: string;
  /** Sealed (SecretBox) env and build env, and their keys in `envKeys`. */
  envSealed: string | null;
  buildEnvSealed: string | null;
  /** The sealed secret that signs the project's git hooks. */
  hookSecretSealed?: string | null;
}

/** Disk a project uses: its images and its stored archives. */
export interface ProjectDisk {
  imageBytes: number;
  archiveBytes: number;
}

/**
 * Projects: their settings, sealed env and releases. Which deployment a
 * project's URL points at is RoutingStore's; deployments are DeploymentStore's.
 */
export class ProjectStore {
  constructor(private readonly db: Db) {}

  async create(input: NewProject): Promise<ProjectRow> {
    const row = await this.db
      .insertInto('projects')
      .values(projectValues(input))
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new BerthError('CONFLICT', `a project named ${input.name} exists already`);
    return row;
  }

  /** These projects by name (missing ones left out), in one query (the enqueue path's project read, bench:api). */
  async getMany(names: readonly string[]): Promise<Map<string, ProjectRow>> {
    if (names.length === 0) return new Map();
    const rows = await this.db.selectFrom('projects').selectAll().where('name', 'in', [...new Set(names)]).execute();
    return new Map(rows.map((r) => [r.name, r]));
  }

  async get(name: string): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async mustGet(name: string): Promise<ProjectRow> {
    const row = await this.get(name);
    if (!row) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
    return row;
  }

  async list(): Promise<ProjectRow[]> {
    return this.db.selectFrom('projects').selectAll().orderBy('name').limit(1000).execute();
  }

  async update(name: string, settings: ProjectSettings): Promise<ProjectRow> {
    const row = await this.db
      .updateTable('projects')
      .set({
        updated_at: new Date(),
        ...(settings.gitUrl !== undefined ? { git_url: settings.gitUrl } : {}),
        ...(settings.ref !== undefined ? { git_ref: settings.ref } : {}),
        ...(settings.rootDir !== undefined ? { root_dir: settings.rootDir } : {}),
        ...(settings.port !== undefined ? { port: settings.port } : {}),
        ...(settings.healthPath !== undefined ? { health_path: settings.healthPath } : {}),
        ...(settings.previewsInheritEnv !== undefined ? { previews_inherit_env: settings.previewsInheritEnv } : {}),
        ...(settings.deployStrategy !== undefined ? { deploy_strategy: settings.deployStrategy } : {}),
        ...(settings.releaseCommand !== undefined ? { release_command: settings.releaseCommand } : {}),
        ...(settings.previewVolumes !== undefined ? { preview_volumes: settings.previewVolumes } : {}),
        ...(settings.watchPaths !== undefined ? { watch_paths: jsonOrNull(settings.watchPaths) } : {}),
      })
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
    return row;
  }

  /**
   * Replaces the sealed env and/or build env of one lane (production's, or
   * the previews'). `change` runs inside the row lock with the current sealed
   * values, so two concurrent PATCHes both land.
   */
  async changeEnv(
    name: string,
    change: (current: { env: string | null; buildEnv: string | null }) => { env?: string | null; buildEnv?: string | null },
    lane: EnvLane = 'production',
  ): Promise<ProjectRow> {
    const columns = envColumns[lane];
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('projects').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
      if (!row) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
      const next = change({ env: row[columns.env], buildEnv: row[columns.buildEnv] });
      return trx
        .updateTable('projects')
        .set({
          updated_at: new Date(),
          ...(next.env !== undefined ? { [columns.env]: next.env } : {}),
          ...(next.buildEnv !== undefined ? { [columns.buildEnv]: next.buildEnv } : {}),
        })
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** Replaces the sealed secret of the project's git hooks. */
  async setHookSecret(name: string, sealed: string): Promise<void> {
    await this.setColumn(name, { hook_secret_sealed: sealed, updated_at: new Date() });
  }

  /** Replaces (or clears, null) the sealed credentials the project's prebuilt images are pulled with. */
  async setRegistryAuth(name: string, sealed: string | null): Promise<void> {
    await this.setColumn(name, { registry_auth_sealed: sealed, updated_at: new Date() });
  }

  /** Records the newest push that built nothing (watchPaths). */
  async recordSkippedPush(name: string, push: SkippedPush): Promise<void> {
    await this.setColumn(name, { last_skipped_push: JSON.stringify(push) });
  }

  private async setColumn(name: string, values: { hook_secret_sealed?: string; registry_auth_sealed?: string | null; last_skipped_push?: string; updated_at?: Date }) {
    const { numUpdatedRows } = await this.db.updateTable('projects').set(values).where('name', '=', name).executeTakeFirst();
    if (Number(numUpdatedRows) === 0) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
  }

  /**
   * Deletes the project and everything recorded about it (deployments, their
   * logs, archives, transitions; domains). Its containers and images are
   * removed by the workers first (see the API's project deletion).
   */
  async delete(name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('projects').set({ current_deployment_id: null }).where('name', '=', name).execute();
      await trx.deleteFrom('deployments').where('project', '=', name).execute();
      await trx.deleteFrom('projects').where('name', '=', name).execute();
    });
  }

  /**
   * The project's releases, newest first: deployments that went live (running
   * now, draining, or stopped with their image kept), which a rollback can
   * start again.
   */
  async releases(name: string, limit = 20): Promise<DeploymentRow[]> {
    return this.db
      .selectFrom('deployments')
      .selectAll()
      .where('project', '=', name)
      .where('image', 'is not', null)
      .where('status', 'in', ['running', 'crashed', 'stopped'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Bytes of the images its deployments keep (each build once: a rollback
   * runs the image of the build it goes back to; layers two builds share are
   * counted in each, so this is an upper bound), and of the archives stored.
   */
  async disk(name: string): Promise<ProjectDisk> {
    const { rows } = await sql<{ images: string | null; archives: string | null }>`
      select
        (select sum(image_bytes) from deployments where project = ${name} and image is not null and release_of is null) as images,
        (select sum(octet_length(a.data)) from deployment_archives a join deployments d on d.id = a.deployment_id
          where d.project = ${name}) as archives`.execute(this.db);
    return { imageBytes: Number(rows[0]?.images ?? 0), archiveBytes: Number(rows[0]?.archives ?? 0) };
  }
}

/** A new project's row (also what `DeploymentStore` makes a deployment's missing project with). */
export function projectValues(input: NewProject) {
  return {
    name: input.name,
    id: newProjectId(),
    current_deployment_id: null,
    updated_at: new Date(),
    git_url: input.gitUrl ?? null,
    git_ref: input.ref ?? null,
    root_dir: input.rootDir ?? '',
    port: input.port ?? null,
    health_path: input.healthPath ?? '/',
    env_sealed: input.envSealed,
    build_env_sealed: input.buildEnvSealed,
    hook_secret_sealed: input.hookSecretSealed ?? null,
    previews_inherit_env: input.previewsInheritEnv ?? false,
    deploy_strategy: input.deployStrategy ?? 'start-first',
    release_command: input.releaseCommand ?? null,
    preview_volumes: input.previewVolumes ?? false,
    watch_paths: jsonOrNull(input.watchPaths ?? null),
  };
}

function jsonOrNull(value: string[] | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

import { sql } from 'kysely';
import type { Db, DeploymentRow } from './db.ts';
import type { DeploymentStatus } from './deployment-state.ts';
import { BerthError } from './errors.ts';
import { projectValues, type ProjectSettings } from './project-store.ts';
import { deploymentsWithPlace, type DeploymentWithPlace } from './deployment-places.ts';

export interface NewDeployment {
  id: string;
  project: string;
  /**
   * The settings its project is made with when there is none yet (the first
   * deployment of a project, in the same statement); without them a missing
   * project is made bare. An existing project is never changed.
   */
  projectSettings?: ProjectSettings;
  sourceType: 'git' | 'archive' | 'image';
  /** A prebuilt image's reference (sourceType image). */
  sourceImage?: string | null;
  gitUrl?: string | undefined;
  gitRef?: string | undefined;
  rootDir: string;
  archive?: { format: 'zip' | 'tar.gz'; data: Buffer } | undefined;
  /** The archive's format when the archive itself is not stored with it (a rollback runs a kept image). */
  archiveFormat?: 'zip' | 'tar.gz' | null;
  port: number;
  /** Plain env of old callers; with `envSealed`, only its keys are stored here (values are sealed). */
  env: Record<string, string>;
  envSealed?: string | null;
  buildEnvSealed?: string | null;
  healthPath?: string;
  /** False: a preview, which never takes the project URL by itself. */
  promote?: boolean;
  /** Runs this deployment's image instead of building (a rollback to a stopped release). */
  releaseOf?: string | null;
  commitSha?: string | null;
  /** A preview of this branch (from a push); null/absent: the production lane. */
  branch?: string | null;
  commitAuthor?: string | null;
  commitMessage?: string | null;
}

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  status?: DeploymentStatus | undefined;
  project?: string | undefined;
  /** Only these projects' (what the caller may see; not empty); undefined: every project's. */ projects?: readonly string[] | undefined;
}

/**
 * The deployments themselves: creating one (with its project and its first
 * transition in one statement, or with its archive in one transaction),
 * reading and listing them.
 * Status changes are `DeploymentLifecycle`'s; the other concerns have their
 * own stores: LogStore, TransitionHistory, ArchiveStore, RoutingStore,
 * ReaperQueries.
 */
export class DeploymentStore {
  constructor(private readonly db: Db) {}

  /**
   * One statement (a data-modifying CTE: project, deployment, first
   * transition) for a deployment without an archive: one round trip instead
   * of a transaction's five, which is most of an enqueue's time (bench:api).
   */
  async create(input: NewDeployment): Promise<DeploymentRow> {
    if (input.archive) return this.createWithArchive(input, input.archive);
    return (await this.createMany([input]))[0]!;
  }

  /**
   * Several deployments without archives in that one statement (the API's
   * group commit); rows in the order of `inputs`. A missing project is made,
   * with the settings of the first input that names it (the API's enqueue
   * reads projects without writing, and leaves their making to this).
   */
  async createMany(inputs: readonly NewDeployment[]): Promise<DeploymentRow[]> {
    if (inputs.some((i) => i.archive)) throw new Error('createMany takes no archives');
    const rows = await this.db
      .with('p', (db) => db.insertInto('projects').values(newProjects(inputs)).onConflict((oc) => oc.column('name').doNothing()))
      .with('d', (db) => db.insertInto('deployments').values(inputs.map(deploymentValues)).returningAll())
      .with('t', (db) =>
        db
          .insertInto('deployment_transitions')
          .columns(['deployment_id', 'status', 'error_code', 'error_message', 'at'])
          .expression((eb) =>
            eb.selectFrom('d').select(['d.id', 'd.status', sql<null>`null`.as('error_code'), sql<null>`null`.as('error_message'), 'd.created_at']),
          ),
      )
      .selectFrom('d')
      .selectAll()
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r as DeploymentRow]));
    return inputs.map((i) => byId.get(i.id)!);
  }

  private async createWithArchive(input: NewDeployment, archive: { data: Buffer }): Promise<DeploymentRow> {
    return this.db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(newProjects([input])).onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await trx.insertInto('deployments').values(deploymentValues(input)).returningAll().executeTakeFirstOrThrow();
      await trx
        .insertInto('deployment_transitions')
        .values({ deployment_id: input.id, status: 'queued', error_code: null, error_message: null, at: row.created_at })
        .execute();
      await trx.insertInto('deployment_archives').values({ deployment_id: input.id, data: archive.data }).execute();
      return row;
    });
  }

  async get(id: string): Promise<DeploymentRow | undefined> {
    return this.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The deployment, whether its project's URL serves it now and while queued its place in the queue, in one query. */
  async getWithPlace(id: string): Promise<DeploymentWithPlace | undefined> {
    return (await deploymentsWithPlace(this.db, [id], true)).get(id);
  }

  /** Several at once (deployment-places.ts); `countPlace` false: queuePosition null (the caller asks the queue). */
  async getManyWithPlace(ids: readonly string[], countPlace: boolean): Promise<Map<string, DeploymentWithPlace>> {
    return deploymentsWithPlace(this.db, ids, countPlace);
  }

  /** What the source turned out to be: the commit a ref named, the digest a pulled image has. */
  async setCommit(id: string, sha: string, field: 'commit_sha' | 'image_digest' = 'commit_sha'): Promise<void> {
    await this.db.updateTable('deployments').set({ [field]: sha }).where('id', '=', id).execute();
  }

  /** Records an image's size (disk accounting), or that the image is gone (null image). */
  async setImage(id: string, image: { bytes: number } | null): Promise<void> {
    await this.db
      .updateTable('deployments')
      .set(image ? { image_bytes: image.bytes } : { image: null, image_bytes: null })
      .where('id', '=', id)
      .execute();
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(query: ListQuery): Promise<{ items: DeploymentRow[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('deployments').selectAll();
    if (query.status) q = q.where('status', '=', query.status);
    if (query.project) q = q.where('project', '=', query.project);
    if (query.projects) q = q.where('project', 'in', query.projects);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /** These deployments by id (missing ones left out), in one query. */
  async getMany(ids: readonly string[]): Promise<Map<string, DeploymentRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('deployments').selectAll().where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async statuses(ids: readonly string[]): Promise<Map<string, DeploymentStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('deployments').select(['id', 'status']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}

function encodeCursor(row: DeploymentRow): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new BerthError('VALIDATION_FAILED', 'cursor is not one this API returned');
  }
  return { createdAt, id };
}

/**
 * The rows of the projects `inputs` go to, for when they do not exist yet:
 * each from the first input that names it, in name order (two statements
 * making the same projects wait for each other in one order, never in a cycle).
 */
function newProjects(inputs: readonly NewDeployment[]) {
  const first = new Map<string, NewDeployment>();
  for (const i of inputs) if (!first.has(i.project)) first.set(i.project, i);
  return [...first.values()]
    .sort((a, b) => (a.project < b.project ? -1 : 1))
    .map((i) => projectValues({ name: i.project, ...i.projectSettings, envSealed: null, buildEnvSealed: null }));
}

/** The row of a new deployment: queued, nothing built yet. */
function deploymentValues(input: NewDeployment) {
  return {
    id: input.id,
    project: input.project,
    status: 'queued',
    error_code: null,
    error_message: null,
    source_type: input.sourceType,
    git_url: input.gitUrl ?? null,
    git_ref: input.gitRef ?? null,
    source_image: input.sourceImage ?? null,
    root_dir: input.rootDir,
    archive_format: input.archive?.format ?? input.archiveFormat ?? null,
    port: input.port,
    env: JSON.stringify(input.envSealed ? Object.fromEntries(Object.keys(input.env).map((k) => [k, ''])) : input.env),
    env_sealed: input.envSealed ?? null,
    build_env_sealed: input.buildEnvSealed ?? null,
    health_path: input.healthPath ?? '/',
    promote: input.promote ?? true,
    release_of: input.releaseOf ?? null,
    commit_sha: input.commitSha ?? null,
    branch: input.branch ?? null,
    commit_author: input.commitAuthor ?? null,
    commit_message: input.commitMessage ?? null,
    // A new release runs as many copies as its project asks for now (1 for a project made by this insert).
    replicas: sql<number>`coalesce((select p.replicas from projects p where p.name = ${input.project}), 1)`,
    image: null,
    container_id: null,
    // Set here (millisecond precision) so keyset cursors round-trip exactly.
    created_at: new Date(),
    updated_at: new Date(),
    finished_at: null,
  } as const;
}

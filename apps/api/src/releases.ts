import type { DeploymentRow, ProjectRow } from '@berth/shared/db';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore, NewDeployment } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import { newDeploymentId } from '@berth/shared/ids';
import type { Logger } from '@berth/shared/logger';
import type { ProjectSettings, ProjectStore } from '@berth/shared/project-store';
import type { RoutingStore } from '@berth/shared/routing-store';
import type { SecretBox } from '@berth/shared/secret-box';
import type { DeploymentQueue } from './deployment-queue.ts';
import { eachAloneOnFailure, GroupCommit, type Settled } from './group-commit.ts';

/** Where a new deployment's source comes from. */
export type ReleaseSource =
  | { type: 'git'; gitUrl: string; ref: string | null }
  | { type: 'archive'; archive: { format: 'zip' | 'tar.gz'; data: Buffer } };

export interface NewRelease {
  project: Pick<ProjectRow, 'name'>;
  /** What the project is made with if it does not exist (yet, or any more) when the deployment is written. */
  projectSettings?: ProjectSettings;
  source: ReleaseSource;
  rootDir: string;
  port: number;
  healthPath: string;
  /** The env snapshot the deployment runs with (the project's, with the request's on top). */
  env: Record<string, string>;
  buildEnv: Record<string, string>;
  promote: boolean;
  /** From a push: the branch of a preview (absent for production) and the commit it names. */
  push?: { branch: string | null; commitSha: string; author: string | null; message: string | null };
}

export interface ReleasesDeps {
  store: DeploymentStore;
  projects: ProjectStore;
  archives: ArchiveStore;
  routing: RoutingStore;
  lifecycle: DeploymentLifecycle;
  queue: DeploymentQueue;
  secrets: SecretBox;
  /** Tells router-sync that a project URL moved. */
  announceRoutes: () => Promise<void>;
  logger: Logger;
}

/**
 * A project's releases: creating deployments (the newest queued one wins),
 * redeploying, promoting and rolling back. The worker builds and starts; the
 * project URL moves only to a release that answers its health path.
 */
export class Releases {
  // One batch at a time: a batch is written, enqueued and has superseded before the next begins, so
  // within this process the newest request of a lane always wins (across processes, the newest in time).
  private readonly batch = new GroupCommit<NewDeployment, DeploymentRow>((inputs) => this.createBatch(inputs), 1);
  private readonly createRows = eachAloneOnFailure((inputs: NewDeployment[]) => this.deps.store.createMany(inputs));

  constructor(private readonly deps: ReleasesDeps) {}

  /** The project's env snapshot with `overrides` on top (values opened for sealing into the deployment). */
  projectEnv(project: ProjectRow): { env: Record<string, string>; buildEnv: Record<string, string> } {
    const { secrets } = this.deps;
    return {
      env: project.env_sealed ? secrets.open(project.env_sealed) : {},
      buildEnv: project.build_env_sealed ? secrets.open(project.build_env_sealed) : {},
    };
  }

  /**
   * A new deployment. Without an archive it goes through the group commit:
   * requests that arrive while earlier ones are being written go together
   * (one statement, one queue call, one supersede), in the order they came.
   */
  async create(release: NewRelease): Promise<DeploymentRow> {
    const input = this.newDeployment(release);
    if (input.archive) return this.enqueue(await this.deps.store.create(input));
    return this.batch.submit(input);
  }

  private newDeployment(release: NewRelease): NewDeployment {
    const { secrets } = this.deps;
    const { source } = release;
    return {
      id: newDeploymentId(),
      project: release.project.name,
      ...(release.projectSettings ? { projectSettings: release.projectSettings } : {}),
      sourceType: source.type,
      gitUrl: source.type === 'git' ? source.gitUrl : undefined,
      gitRef: source.type === 'git' ? (source.ref ?? undefined) : undefined,
      archive: source.type === 'archive' ? source.archive : undefined,
      rootDir: release.rootDir,
      port: release.port,
      healthPath: release.healthPath,
      env: release.env,
      // Nothing to hide in an empty env: not sealed, like the build env (an AES-GCM seal and a random nonce per enqueue).
      envSealed: Object.keys(release.env).length > 0 ? secrets.seal(release.env) : null,
      buildEnvSealed: Object.keys(release.buildEnv).length > 0 ? secrets.seal(release.buildEnv) : null,
      promote: release.promote,
      ...(release.push
        ? { branch: release.push.branch, commitSha: release.push.commitSha, commitAuthor: release.push.author, commitMessage: release.push.message }
        : {}),
    };
  }

  /** One batch of the group commit: each item's row, or its own error. */
  private async createBatch(inputs: NewDeployment[]): Promise<Settled<DeploymentRow>[]> {
    const rows = await this.createRows(inputs);
    const made = rows.flatMap((r) => (r.ok ? [r.value] : []));
    try {
      if (made.length > 0) await this.enqueueAll(made);
    } catch (error) {
      return rows.map((r) => (r.ok ? { ok: false, error } : r));
    }
    return rows;
  }

  /** The same source again: git at the same ref (resolved anew), an archive from its stored copy; the same env snapshot. */
  async redeploy(id: string): Promise<DeploymentRow> {
    const original = await this.load(id);
    let archive: { format: 'zip' | 'tar.gz'; data: Buffer } | undefined;
    if (original.source_type === 'archive') {
      const data = await this.deps.archives.get(original.release_of ?? original.id);
      if (!data) {
        throw new BerthError('CONFLICT', `the archive of ${id} is no longer kept (only the newest releases keep theirs); upload it again`);
      }
      archive = { format: original.archive_format ?? 'zip', data };
    }
    const row = await this.deps.store.create({
      ...this.copyOf(original),
      archive,
      promote: original.promote,
    });
    return this.enqueue(row);
  }

  /** Points the project URL at a live deployment (a preview, or a release still draining). */
  async promote(id: string, how: 'release' | 'rollback' = 'release'): Promise<DeploymentRow> {
    const row = await this.load(id);
    if (row.status !== 'running') {
      throw new BerthError(
        'CONFLICT',
        row.status === 'stopped'
          ? `deployment ${id} is stopped; roll back to it with POST /api/projects/${row.project}/rollback`
          : `deployment ${id} is ${row.status}; only a running deployment can be promoted`,
      );
    }
    await this.deps.routing.promote(row.project, id, how);
    await this.deps.announceRoutes();
    this.deps.logger.info({ deploymentId: id, project: row.project }, 'promoted');
    return (await this.deps.store.get(id)) ?? row;
  }

  /**
   * Back to the previous release (or the one named): a live one (still
   * draining) takes the URL at once; a stopped one's kept image is started
   * again as a new deployment (no build), which takes the URL once healthy.
   */
  async rollback(projectName: string, deploymentId?: string): Promise<{ deployment: DeploymentRow; switched: boolean }> {
    const project = await this.deps.projects.mustGet(projectName);
    const target = deploymentId ? await this.load(deploymentId) : await this.previousRelease(project);
    if (target.project !== project.name) {
      throw new BerthError('VALIDATION_FAILED', `deployment ${target.id} belongs to ${target.project}, not ${project.name}`);
    }
    if (target.id === project.current_deployment_id) {
      throw new BerthError('CONFLICT', `${project.name} already serves ${target.id}`);
    }
    if (target.status === 'running') return { deployment: await this.promote(target.id, 'rollback'), switched: true };
    if (target.status !== 'stopped' || !target.image) {
      throw new BerthError('CONFLICT', `deployment ${target.id} is ${target.status}${target.image ? '' : ' and has no kept image'}; it cannot be rolled back to`);
    }
    const row = await this.deps.store.create({ ...this.copyOf(target), promote: true, releaseOf: target.id });
    this.deps.logger.info({ deploymentId: row.id, project: project.name, releaseOf: target.id }, 'rolling back');
    return { deployment: await this.enqueue(row), switched: false };
  }

  /**
   * The release that served before the current one: the newest kept build
   * older than the build the current one runs (a rollback runs an older
   * build, so rolling back again goes further back, not forth).
   */
  private async previousRelease(project: ProjectRow): Promise<DeploymentRow> {
    const current = project.current_deployment_id ? await this.deps.store.get(project.current_deployment_id) : undefined;
    const build = current?.release_of ? await this.deps.store.get(current.release_of) : current;
    const releases = await this.deps.projects.releases(project.name, 100);
    const previous = releases.find(
      (r) => r.release_of === null && r.promote && r.id !== build?.id && (!build || r.created_at < build.created_at),
    );
    if (!previous) throw new BerthError('CONFLICT', `${project.name} has no earlier release to roll back to`);
    return previous;
  }

  private copyOf(d: DeploymentRow) {
    return {
      id: newDeploymentId(),
      project: d.project,
      branch: d.branch,
      sourceType: d.source_type,
      gitUrl: d.git_url ?? undefined,
      gitRef: d.git_ref ?? undefined,
      rootDir: d.root_dir,
      archiveFormat: d.archive_format,
      port: d.port,
      healthPath: d.health_path,
      env: d.env,
      envSealed: d.env_sealed,
      buildEnvSealed: d.build_env_sealed,
    };
  }

  private async enqueue(row: DeploymentRow): Promise<DeploymentRow> {
    await this.enqueueAll([row]);
    return row;
  }

  /** Enqueues their jobs in one call (failing the rows if the queue is down), then the older queued ones of their lanes are superseded. */
  private async enqueueAll(rows: DeploymentRow[]): Promise<void> {
    try {
      await this.deps.queue.enqueueMany(rows.map((r) => r.id));
    } catch (err) {
      // Never leave a queued row that no job will ever pick up.
      for (const row of rows) {
        await this.deps.lifecycle
          .transition(row.id, ['queued'], 'failed', {
            errorCode: 'QUEUE_UNAVAILABLE',
            errorMessage: 'the job queue was unavailable when the deployment was created',
          })
          .catch((e: unknown) => this.deps.logger.error({ err: e, deploymentId: row.id }, 'could not fail the row'));
      }
      throw err;
    }
    const superseded = await this.deps.lifecycle.supersedeQueued(rows);
    if (superseded.length > 0) this.deps.logger.info({ deployments: rows.map((r) => r.id), superseded }, 'superseded older queued deployments');
  }

  private async load(id: string): Promise<DeploymentRow> {
    const row = await this.deps.store.get(id);
    if (!row) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
    return row;
  }
}

import type { DeploymentRow, ProjectRow } from '@berth/shared/db';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore, NewDeployment } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import type { ProjectStore } from '@berth/shared/project-store';
import { ReleaseRouting } from '@berth/shared/release-routing';
import type { RoutingStore } from '@berth/shared/routing-store';
import type { SecretBox } from '@berth/shared/secret-box';
import type { ApiConfig } from './config.ts';
import type { DeploymentQueue } from './deployment-queue.ts';
import { eachAloneOnFailure, GroupCommit, type Settled } from './group-commit.ts';
import { enqueueReleases } from './release-enqueue.ts';
import { copyOf, newDeployment, releaseOf, type ReleaseRequest } from './release-inputs.ts';

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
  config: Pick<ApiConfig, 'DEFAULT_APP_PORT'>;
  logger: Logger;
  /** The project URL moved to a running release by request: its processes besides web start (a `scale` poke). */
  onPromoted?: (deploymentId: string) => Promise<void>;
}

/**
 * A project's releases: making deployments from a project (the newest
 * queued one wins), redeploying, promoting, rolling back and stopping a
 * deleted branch's previews. The worker builds and starts; the project URL
 * moves only to a release that answers its health path (ReleaseRouting, which
 * the worker shares).
 */
export class Releases {
  // One batch at a time: a batch is written, enqueued and has superseded before the next begins, so
  // within this process the newest request of a lane always wins (across processes, the newest in time).
  private readonly batch = new GroupCommit<NewDeployment, DeploymentRow>((inputs) => this.createBatch(inputs), 1);
  private readonly createRows = eachAloneOnFailure((inputs: NewDeployment[]) => this.deps.store.createMany(inputs));

  private readonly releaseRouting: ReleaseRouting;

  constructor(private readonly deps: ReleasesDeps) {
    this.releaseRouting = new ReleaseRouting(deps);
  }

  /**
   * A new deployment of a project (every route that makes one calls this):
   * the request's source, settings and env over the project's. Without an
   * archive it goes through the group commit: requests that arrive while
   * earlier ones are being written go together (one statement, one queue
   * call, one supersede), in the order they came.
   */
  async deployProject(project: ProjectRow | undefined, request: ReleaseRequest): Promise<DeploymentRow> {
    const input = newDeployment(releaseOf(project, request, this.deps.secrets, this.deps.config.DEFAULT_APP_PORT), this.deps.secrets);
    if (input.archive) return this.enqueue(await this.deps.store.create(input));
    return this.batch.submit(input);
  }

  /** Stops the live previews of a deleted branch; returns their ids. */
  async stopPreviews(project: ProjectRow, branch: string): Promise<string[]> {
    return this.releaseRouting.stopPreviews(project, branch);
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
      ...copyOf(original),
      archive,
      promote: original.promote,
    });
    return this.enqueue(row);
  }

  /**
   * A live deployment started by another runtime, started again on `runtime` (`berth migrate-runtime`):
   * a new deployment of the same image (no build) that takes its project or branch URL once it
   * answers, after which the old one drains, then stops. Start new, switch, stop old. The deployment
   * itself when it runs on `runtime` already.
   */
  async moveTo(id: string, runtime: 'docker' | 'swarm'): Promise<DeploymentRow> {
    const row = await this.load(id);
    if (row.runtime === runtime) return row;
    if (row.status !== 'running' || row.retired_at) {
      throw new BerthError('CONFLICT', `deployment ${id} is ${row.retired_at ? 'draining' : row.status}; only a live deployment is moved`);
    }
    const moved = await this.deps.store.create({ ...copyOf(row), promote: row.promote, releaseOf: row.release_of ?? row.id });
    this.deps.logger.info({ deploymentId: moved.id, from: id, runtime }, 'moving a deployment to this runtime');
    return this.enqueue(moved);
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
    await this.releaseRouting.moveProjectUrl(row.project, id, how);
    await this.deps.onPromoted?.(id);
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
    const row = await this.deps.store.create({ ...copyOf(target), promote: true, releaseOf: target.id });
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

  private async enqueue(row: DeploymentRow): Promise<DeploymentRow> {
    await this.enqueueAll([row]);
    return row;
  }

  private async enqueueAll(rows: DeploymentRow[]): Promise<void> {
    await enqueueReleases(this.deps, rows);
  }

  private async load(id: string): Promise<DeploymentRow> {
    const row = await this.deps.store.get(id);
    if (!row) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
    return row;
  }
}

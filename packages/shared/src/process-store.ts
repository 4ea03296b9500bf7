import type { ControlPublisher } from './control-messages.ts';
import type { Db, ProjectRow } from './db.ts';
import { BerthError } from './errors.ts';
import { workerTypes } from './process-types.ts';

/**
 * A release's process types and a project's counts of them. A count change is stored on the project
 * and poked to the workers as a `scale` of its current release (they read the stored counts, so a
 * late or repeated poke cannot undo a newer change); new releases start with the stored counts.
 */
export class ProcessStore {
  /** `control`: the workers' channel (the API's); a worker only records a release's types. */
  constructor(private readonly deps: { db: Db; control?: ControlPublisher }) {}

  /** Records the release's process types (its build's berth.json or Procfile; a rollback's release's). */
  async setProcesses(deploymentId: string, processes: Record<string, string> | null): Promise<void> {
    await this.deps.db.updateTable('deployments').set({ processes }).where('id', '=', deploymentId).execute();
  }

  /**
   * Sets counts of the project's process types ({ worker: 2 }; 0 stops a type). Each must be a type
   * besides web of the current release: UNKNOWN_PROCESS_TYPE otherwise (web scales with replicas).
   */
  async scaleProject(name: string, counts: Record<string, number>): Promise<ProjectRow> {
    const project = await this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('projects').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
      if (!row) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
      const current = row.current_deployment_id
        ? await trx.selectFrom('deployments').select('processes').where('id', '=', row.current_deployment_id).executeTakeFirst()
        : undefined;
      const known = workerTypes(current?.processes);
      const unknown = Object.keys(counts).filter((t) => !known.includes(t));
      if (unknown.length > 0) {
        const has = known.length ? `its process types besides web are ${known.join(', ')}` : 'it has no process types besides web';
        throw new BerthError('UNKNOWN_PROCESS_TYPE', `project ${name}'s current release does not run ${unknown.join(', ')}: ${has} (web scales with replicas)`);
      }
      return trx
        .updateTable('projects')
        .set({ process_counts: { ...row.process_counts, ...counts }, updated_at: new Date() })
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    if (project.current_deployment_id) {
      // Stored already: a poke that does not get through waits for the next release (or PATCH).
      await this.deps.control?.send({ type: 'scale', deploymentId: project.current_deployment_id }).catch(() => {});
    }
    return project;
  }
}

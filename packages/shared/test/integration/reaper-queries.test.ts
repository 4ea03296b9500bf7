import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '../../src/deployment-state.ts';
import { ReaperQueries } from '../../src/reaper-queries.ts';
import { databaseForFile } from '@berth/testing/database';

const database = databaseForFile();

/** How a deployment reaches each status used here, from `queued`, as the worker moves it. */
const pathTo: Partial<Record<DeploymentStatus, DeploymentStatus[]>> = {
  building: ['fetching', 'building'],
  failed: ['fetching', 'building', 'failed'],
  starting: ['fetching', 'building', 'starting'],
  running: ['fetching', 'building', 'starting', 'running'],
  stopped: ['fetching', 'building', 'starting', 'running', 'stopped'],
};

/** Moves `id` one step on, through the lifecycle (the one status writer); the image is recorded once built. */
async function step(id: string, from: DeploymentStatus, to: DeploymentStatus): Promise<void> {
  const fields = to === 'starting' ? { image: `berth-test/${id}:latest` } : {};
  expect(await database().lifecycle.transition(id, [from], to, fields)).toBeDefined();
}

/** An archive deployment of `project` moved to `status`. */
async function deployment(project: string, status: DeploymentStatus): Promise<string> {
  const id = `d${randomBytes(5).toString('hex')}`;
  await database().store.create({ id, project, sourceType: 'archive', rootDir: '.', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from(id) } });
  let at: DeploymentStatus = 'queued';
  for (const next of pathTo[status] ?? []) {
    await step(id, at, next);
    at = next;
  }
  return id;
}

const archiveKept = async (id: string) => (await database().db.selectFrom('deployment_archives').select('deployment_id').where('deployment_id', '=', id).executeTakeFirst()) !== undefined;

describe('ReaperQueries.deleteSpentArchives', () => {
  it('keeps the archives of deployments in flight and of the newest releases; deletes the rest', async () => {
    const queries = new ReaperQueries(database().db);
    const oldest = await deployment('spent', 'stopped');
    const failed = await deployment('spent', 'failed');
    const newer = await deployment('spent', 'stopped');
    const live = await deployment('spent', 'running');
    const building = await deployment('spent', 'building');
    const deleted = await queries.deleteSpentArchives(2);
    expect(deleted.sort()).toEqual([oldest, failed].sort());
    for (const id of [newer, live, building]) expect(await archiveKept(id)).toBe(true);
  });

  it('never deletes the archive of a deployment that goes live while it runs (one snapshot, not two queries)', async () => {
    const queries = new ReaperQueries(database().db);
    for (let round = 0; round < 100; round++) {
      const project = `race-${round}`;
      await deployment(project, 'stopped');
      const starting = await deployment(project, 'starting');
      await Promise.all([queries.deleteSpentArchives(1), step(starting, 'starting', 'running')]);
      expect(await archiveKept(starting), `round ${round}`).toBe(true);
    }
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '../../src/deployment-state.ts';
import { ReaperQueries } from '../../src/reaper-queries.ts';
import { databaseForFile } from '@berth/testing/database';

const database = databaseForFile();

/** An archive deployment of `project` moved to `status` (with an image once it went live). */
async function deployment(project: string, status: DeploymentStatus): Promise<string> {
  const { store, db } = database();
  const id = `d${randomBytes(5).toString('hex')}`;
  await store.create({ id, project, sourceType: 'archive', rootDir: '.', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from(id) } });
  const image = status === 'queued' || status === 'fetching' || status === 'building' ? null : `berth-test/${id}:latest`;
  await db.updateTable('deployments').set({ status, image }).where('id', '=', id).execute();
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
    const { db } = database();
    for (let round = 0; round < 40; round++) {
      const project = `race-${round}`;
      await deployment(project, 'stopped');
      const starting = await deployment(project, 'starting');
      const goLive = db.updateTable('deployments').set({ status: 'running' }).where('id', '=', starting).execute();
      await Promise.all([queries.deleteSpentArchives(1), goLive]);
      expect(await archiveKept(starting), `round ${round}`).toBe(true);
    }
  });
});

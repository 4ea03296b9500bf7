import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// An uploaded archive is someone's source code: Berth keeps it only as long as
// a deployment may still need it, whatever way the deployment ended.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false, workers: 0, env: { REAPER_INTERVAL_MS: '300' } });
});
afterAll(async () => {
  await stack?.close();
});

async function archiveStored(id: string): Promise<boolean> {
  const row = await stack.db.db.selectFrom('deployment_archives').select('deployment_id').where('deployment_id', '=', id).executeTakeFirst();
  return row !== undefined;
}

describe('archives of deployments that ended are deleted', () => {
  it('when canceled while queued (no worker involved), a failed one and one canceled mid-build', async () => {
    // Canceled through the API before any worker existed: only the reaper can clean up.
    const queued = await createDeployment(stack, { archive: await zipTestApp('hello') });
    expect(await archiveStored(queued.id)).toBe(true);
    const canceled = await stack.inject({ method: 'POST', url: `/api/deployments/${queued.id}/cancel` });
    expect(canceled.json()).toMatchObject({ status: 'canceled' });
    expect(await archiveStored(queued.id)).toBe(true);

    await stack.addWorker();
    await waitFor('the canceled deployment\'s archive to be deleted', async () => !(await archiveStored(queued.id)), 10_000);

    // Failed by the runner (which deletes it right after storing the outcome; the reaper backs it up).
    const failing = await createDeployment(stack, { archive: await zipEntries([{ name: 'index.js', content: '1' }]) });
    const failed = await settled(stack, failing.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'MISSING_DOCKERFILE' });
    await waitFor('the failed deployment\'s archive to be deleted', async () => !(await archiveStored(failing.id)), 10_000);

    // Canceled while the worker builds it.
    const slow = await createDeployment(stack, { archive: await zipTestApp('slow') });
    await waitFor('the slow build to start', async () => {
      const d = (await stack.inject({ method: 'GET', url: `/api/deployments/${slow.id}` })).json();
      return d.status === 'building';
    });
    await stack.inject({ method: 'POST', url: `/api/deployments/${slow.id}/cancel` });
    expect(await settled(stack, slow.id)).toMatchObject({ status: 'canceled' });
    await waitFor('the canceled build\'s archive to be deleted', async () => !(await archiveStored(slow.id)), 10_000);
  });

  it('the reaper deletes archives left by any deployment that is no longer in flight', async () => {
    // A failed deployment whose archive is still stored (e.g. its worker died before deleting it).
    const d = await createDeployment(stack, { archive: await zipEntries([{ name: 'index.js', content: '1' }]) });
    expect(await settled(stack, d.id)).toMatchObject({ status: 'failed' });
    await stack.db.db.insertInto('deployment_archives').values({ deployment_id: d.id, data: Buffer.from('left over') }).execute();
    await waitFor('the reaper to delete the left-over archive', async () => !(await archiveStored(d.id)), 10_000);
  });
});

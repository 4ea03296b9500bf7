import { describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { JobStore } from '../../src/job-store.ts';
import { ProjectStore } from '../../src/project-store.ts';
import { RunLogStore } from '../../src/run-log-store.ts';
import { RunStore } from '../../src/run-store.ts';

const database = databaseForFile();
const runs = () => new RunStore(database().db);
const project = (name: string) => new ProjectStore(database().db).create({ name, envSealed: null, buildEnvSealed: null });
const job = (p: string, name: string) => new JobStore(database().db).add(p, name, { schedule: '* * * * *', command: 'true', timeoutSeconds: 60, timezone: null }, 5);

describe('RunStore', () => {
  it("lets one of a job's runs be queued or running at a time: ticks at once record one run and the rest skipped", async () => {
    await project('ticks');
    const j = await job('ticks', 'every');
    const made = await Promise.all(Array.from({ length: 6 }, () => runs().create({ project: 'ticks', command: 'true', deploymentId: 'd1', timeoutMs: 1000, jobId: j.id })));
    expect(made.filter((r) => r.status === 'queued')).toHaveLength(1);
    expect(made.filter((r) => r.status === 'skipped')).toHaveLength(5);
    const queued = made.find((r) => r.status === 'queued')!;
    expect(await runs().start(queued.id, 'w1')).toMatchObject({ status: 'running', worker: 'w1' });
    expect(await runs().start(queued.id, 'w2')).toBeUndefined(); // taken once
    await runs().finish(queued.id, { status: 'succeeded', exitCode: 0 });
    expect((await runs().create({ project: 'ticks', command: 'true', deploymentId: 'd1', timeoutMs: 1000, jobId: j.id })).status).toBe('queued');
  });

  it("sends job.failed for a job's failed run only, in the transaction that records it", async () => {
    await project('hooks');
    const { db } = database();
    await db.insertInto('webhooks').values({ id: 'wh1', project: 'hooks', url: 'https://example.test/h', events: ['job.failed'], secret_sealed: 'x' }).execute();
    const j = await job('hooks', 'nightly');
    const jobRun = await runs().create({ project: 'hooks', command: 'exit 3', deploymentId: 'd1', timeoutMs: 1000, jobId: j.id });
    const oneOff = await runs().create({ project: 'hooks', command: 'exit 3', deploymentId: 'd1', timeoutMs: 1000 });
    for (const r of [jobRun, oneOff]) await runs().finish(r.id, { status: 'failed', exitCode: 3, errorCode: 'RUN_FAILED' });
    const deliveries = await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', 'wh1').execute();
    expect(deliveries.map((d) => [d.event, (d.payload as any).data.id, (d.payload as any).data.job])).toEqual([['job.failed', jobRun.id, 'nightly']]);
    expect(await runs().finish(jobRun.id, { status: 'succeeded' })).toBeUndefined(); // an end is recorded once
  });

  it('cancels a queued run at once, marks a running one, and refuses one that ended; drops the lines of a deleted run', async () => {
    await project('cancel');
    const queued = await runs().create({ project: 'cancel', command: 'sleep 9', deploymentId: 'd1', timeoutMs: 1000 });
    expect((await runs().requestCancel('cancel', queued.id)).status).toBe('canceled');
    await expect(runs().requestCancel('cancel', queued.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(runs().requestCancel('other', queued.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const running = await runs().create({ project: 'cancel', command: 'sleep 9', deploymentId: 'd1', timeoutMs: 1000 });
    await runs().start(running.id, 'w1');
    expect(await runs().requestCancel('cancel', running.id)).toMatchObject({ status: 'running', cancel_requested: true });
    expect(await runs().cancelRequested(running.id)).toBe(true);
    await expect(runs().currentRelease('cancel')).rejects.toMatchObject({ code: 'NO_RELEASE' });
    await database().db.deleteFrom('runs').where('id', '=', running.id).execute();
    await new RunLogStore(database().db).append(running.id, [{ seq: 1, ts: new Date().toISOString(), stream: 'runtime', line: 'late' }]);
  });
});

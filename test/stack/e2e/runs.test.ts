import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { testAppsDir, zipTestApp } from '@berth/testing/archives';
import { callApi, settled } from '@berth/testing/deployments';
import { multipartBody } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startProgram } from '@berth/testing/processes';
import { instanceContainers, startStack, testToken, type Stack } from '@berth/testing/stack';
import { startWebhookReceiver } from '@berth/testing/webhook-receiver';

// One-off runs and scheduled jobs on the real stack (3 workers, the stack's 5 s job lock): the CLI
// gets a run's output and exit code, a run cancels, a job ticking every 2 s runs once per tick, a
// slow one is skipped not doubled, and a job survives the SIGKILL of the worker running it.
let stack: Stack;
const root = path.resolve(testAppsDir, '..');
const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);

beforeAll(async () => {
  // Webhooks to a receiver on loopback (job.failed below), retried quickly.
  stack = await startStack({ workers: 3, router: false, env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true', WEBHOOK_RETRY_BASE_MS: '300' } });
  const res = await stack.inject({ method: 'POST', url: '/api/deployments', ...(await multipartBody({ name: 'cron', env: JSON.stringify({ GREETING: 'hello-from-env' }) }, { name: 'app.zip', data: await zipTestApp('hello') })) });
  expect(res.statusCode, res.body).toBe(202);
  expect(await settled(stack, res.json().id, 180_000)).toMatchObject({ status: 'running' });
}, 240_000);
afterAll(async () => {
  await stack?.close();
  if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
});

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], { cwd: root, env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const runsOf = async (job: string): Promise<any[]> => (await api('GET', `/api/projects/cron/jobs/${job}/runs`)).body.items;
const ms = (t: string | null) => (t ? Date.parse(t) : Number.NaN);

describe('one-off runs', () => {
  it("reach the CLI with their output and exit code, cancel, and need a release and the deployer's role", async () => {
    const good = await cli(['run', 'cron', '--', 'echo', 'got $GREETING', '&&', 'ls', '/app']);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toContain('got ••••••'); // the env reached it; its values are masked in logs, as a deployment's
    expect(good.out).toContain('server.js');
    const bad = await cli(['run', 'cron', '--', 'echo to-stderr >&2; exit 7']);
    expect([bad.code, bad.out.includes('to-stderr')]).toEqual([7, true]);

    const slow = (await api('POST', '/api/projects/cron/runs', { command: 'echo started; sleep 60' })).body;
    await waitFor('run started', async () => (await api('GET', `/api/projects/cron/runs/${slow.id}`)).body.status === 'running', 60_000);
    expect((await api('POST', `/api/projects/cron/runs/${slow.id}/cancel`)).status).toBe(200);
    await waitFor('run canceled', async () => (await api('GET', `/api/projects/cron/runs/${slow.id}`)).body.status === 'canceled', 15_000);

    expect((await api('POST', '/api/projects', { name: 'empty' })).status).toBe(201);
    expect((await api('POST', '/api/projects/empty/runs', { command: 'true' })).body.error.code).toBe('NO_RELEASE');
    const reader = (await api('POST', '/api/tokens', { name: 'reader', scope: 'read' })).body.token;
    const asReader = await stack.inject({ method: 'POST', url: '/api/projects/cron/runs', headers: { authorization: `Bearer ${reader}` }, payload: { command: 'true' } });
    expect(asReader.statusCode).toBe(403);
    expect((await api('POST', '/api/projects/cron/jobs', { name: 'bad', schedule: '* * *', command: 'true' })).body.error.code).toBe('INVALID_SCHEDULE');
  }, 180_000);
});

describe('scheduled jobs', () => {
  it('every 2 s with 3 workers: one run per tick; a slow one is skipped, never run twice at once', async () => {
    expect((await api('POST', '/api/projects/cron/jobs', { name: 'tick', schedule: '*/2 * * * * *', command: 'echo tick' })).status).toBe(201);
    expect((await api('POST', '/api/projects/cron/jobs', { name: 'slow', schedule: '*/2 * * * * *', command: 'sleep 5' })).status).toBe(201);
    await waitFor('ten ticks', async () => (await runsOf('tick')).length >= 8, 60_000);
    await api('DELETE', '/api/projects/cron/jobs/tick');
    const slow = await runsOf('slow');
    await api('DELETE', '/api/projects/cron/jobs/slow');

    const skipped = slow.filter((r) => r.status === 'skipped');
    const ran = slow.filter((r) => r.status !== 'skipped').sort((a, b) => ms(a.startedAt) - ms(b.startedAt));
    expect(skipped.length, JSON.stringify(slow.map((r) => [r.status, r.createdAt]))).toBeGreaterThan(0);
    for (let i = 1; i < ran.length; i++) expect(ms(ran[i].startedAt)).toBeGreaterThanOrEqual(ms(ran[i - 1].finishedAt));
  }, 120_000);

  it('a job past its timeout is killed, recorded RUN_TIMED_OUT, and job.failed reaches the project\'s webhook', async () => {
    const rx = await startWebhookReceiver();
    try {
      expect((await api('POST', '/api/projects/cron/webhooks', { url: rx.url, events: ['job.failed'] })).status).toBe(201);
      // A schedule that does not come round during the test: the run is started now, as the dashboard's Run now does.
      expect((await api('POST', '/api/projects/cron/jobs', { name: 'late', schedule: '0 0 1 1 *', command: 'echo begun; sleep 30', timeoutSeconds: 1 })).status).toBe(201);
      const started = await api('POST', '/api/projects/cron/jobs/late/runs');
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const ended = await waitFor('the late run ended', async () => {
        const run = (await api('GET', `/api/projects/cron/runs/${started.body.id}`)).body;
        return ['queued', 'running'].includes(run.status) ? undefined : run;
      }, 60_000, 250);
      expect(ended).toMatchObject({ status: 'failed', errorCode: 'RUN_TIMED_OUT', kind: 'job' });
      expect(ms(ended.finishedAt) - ms(ended.startedAt)).toBeLessThan(20_000); // killed, not waited out
      const delivery = await waitFor('job.failed delivered', async () => rx.got.find((g) => g.headers['x-berth-event'] === 'job.failed'), 20_000, 100);
      expect(JSON.parse(delivery.raw).data).toMatchObject({ job: 'late', id: started.body.id, errorCode: 'RUN_TIMED_OUT' });
      expect((await instanceContainers(stack.instance)).filter((c) => c.Labels[labels.run] === started.body.id)).toEqual([]); // the killed container removed
    } finally {
      await api('DELETE', '/api/projects/cron/jobs/late');
      await rx.close();
    }
  }, 120_000);

  it('exactly one run per tick however many workers', async () => {
    expect((await api('POST', '/api/projects/cron/jobs', { name: 'once', schedule: '*/2 * * * * *', command: 'true' })).status).toBe(201);
    const from = Date.now();
    await waitFor('ticks', async () => Date.now() - from > 12_000, 30_000);
    const runs = await runsOf('once');
    await api('DELETE', '/api/projects/cron/jobs/once');
    const slots = runs.map((r) => Math.floor(ms(r.createdAt) / 2000));
    expect(new Set(slots).size, JSON.stringify(runs.map((r) => [r.status, r.createdAt]))).toBe(runs.length);
    expect(runs.length).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('survives the SIGKILL of the worker running it: the run is recorded failed and the next tick runs', async () => {
    await Promise.all(stack.workers.map((w) => w.close()));
    const doomed = startProgram('worker', { ...stack.env, LOG_LEVEL: 'info' });
    await waitFor('worker process ready', () => doomed.output().includes('worker ready'), 30_000);
    expect((await api('POST', '/api/projects/cron/jobs', { name: 'hardy', schedule: '*/2 * * * * *', command: 'sleep 3' })).status).toBe(201);
    const say = async () => JSON.stringify((await runsOf('hardy')).map((r) => [r.status, r.errorCode, r.createdAt]));
    await waitFor('a run under way', async () => (await runsOf('hardy')).some((r) => r.status === 'running'), 30_000).catch(async (err) => {
      throw new Error(`${(err as Error).message}: ${await say()}\n${doomed.output().slice(-3000)}`);
    });
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await stack.addWorker();
    await waitFor('a later run succeeded', async () => (await runsOf('hardy')).some((r) => r.status === 'succeeded'), 45_000).catch(async (err) => {
      throw new Error(`${(err as Error).message}: ${await say()}`);
    });
    const runs = await runsOf('hardy');
    await api('DELETE', '/api/projects/cron/jobs/hardy');
    expect(runs.some((r) => r.errorCode === 'ORPHANED'), JSON.stringify(runs.map((r) => [r.status, r.errorCode]))).toBe(true);
  }, 150_000);
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogStore } from '@berth/shared/log-store';
import { RunLogStore } from '@berth/shared/run-log-store';
import { RunStore } from '@berth/shared/run-store';
import { callApi } from '@berth/testing/deployments';
import { screenshots, signedInPage } from '@berth/testing/browser';
import { logWriter } from '@berth/testing/log-writer';
import { deploymentIn } from '@berth/testing/replicas';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// The project page's volumes, processes, jobs, one-off runs and services as a person uses them, against a
// real API (docker runtime) on real Redis and Postgres. No worker: the release is a row made here, and the
// run's worker side (its start, its output through the real log sink, its end) is played by the test.
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

// What the page shows after a navigation or a click: expect.poll's default second is too short on a busy machine.
const rendered = { timeout: 15_000 };
const db = () => stack.db.db;
/** The refusal a panel shows (each panel is a region named by its heading). */
const alertIn = (panel: string) => () => page.getByRole('region', { name: panel, exact: true }).getByRole('alert').first().textContent();

beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false });
  for (const name of ['shop', 'empty']) expect((await callApi(stack, 'POST', '/api/projects', { name })).status).toBe(201);
  const release = await deploymentIn(stack, 'shop', 'running', { current: true, image: true });
  await db().updateTable('deployments').set({ processes: { worker: 'node worker.js' } }).where('id', '=', release).execute();
  ({ browser, context, page } = await signedInPage(stack.apiUrl, testToken));
  page.on('dialog', (dialog) => void dialog.accept(dialog.defaultValue())); // every confirm() is answered yes, every prompt() with its default
  await page.goto(`${stack.apiUrl}/#/projects/shop`);
  await page.getByRole('heading', { name: 'Processes' }).waitFor();
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('the project page drives its resources', () => {
  it('volumes: added, listed with their bytes; a delete while mounted is refused as the API says, then forced', async () => {
    const form = page.getByRole('form', { name: 'Add volume' });
    await form.getByLabel('Volume name').fill('data');
    await form.getByLabel('Mount path').fill('/data');
    await form.getByRole('button', { name: 'Add volume' }).click();
    const volumes = page.getByRole('list', { name: 'Volumes' });
    await expect.poll(() => volumes.textContent(), rendered).toContain('/data');
    await db().updateTable('volumes').set({ bytes_used: 12_345_678, measured_at: new Date() }).where('name', '=', 'data').execute();
    await page.reload();
    await expect.poll(() => volumes.textContent(), rendered).toContain('12.3 MB');

    await page.getByRole('button', { name: 'Delete volume data' }).click();
    await expect.poll(alertIn('Volumes'), rendered).toContain('VOLUME_IN_USE');
    await screenshots(page, 'project-volumes', { fullPage: true });
    await page.getByRole('button', { name: 'Delete volume data anyway (force)' }).click();
    await expect.poll(() => page.getByText('No volumes.').count(), rendered).toBe(1);
    expect(await db().selectFrom('volumes').select('name').execute()).toEqual([]);
  }, 60_000);

  it('processes: the release types with their counts; a type scaled, a count past the limit refused', async () => {
    const processes = page.getByRole('list', { name: 'Processes' });
    await expect.poll(() => processes.textContent(), rendered).toContain('node worker.js');
    expect(await processes.textContent()).toContain('scales with Replicas');
    const form = page.getByRole('form', { name: 'Count of worker' });
    await form.getByLabel('Count').fill('3');
    await form.getByRole('button', { name: 'Scale' }).click();
    const counts = async () => (await db().selectFrom('projects').select('process_counts').where('name', '=', 'shop').executeTakeFirstOrThrow()).process_counts;
    await expect.poll(counts, rendered).toEqual({ worker: 3 });
    await expect.poll(() => processes.textContent(), rendered).toContain('× 3');

    await form.getByLabel('Count').fill('11');
    await form.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(alertIn('Processes'), rendered).toContain('VALIDATION_FAILED');
    expect(await counts()).toEqual({ worker: 3 });
  }, 60_000);

  it("one-off runs: started from the page, output shown live, then its exit code; a project without a release refuses", async () => {
    const form = page.getByRole('form', { name: 'Start a run' });
    await form.getByLabel('Command').fill('echo hello; exit 3');
    await form.getByRole('button', { name: 'Run' }).click();
    const output = page.getByRole('region', { name: /^Run / });
    await expect.poll(() => output.getByLabel('Run status: queued').count(), rendered).toBe(1);
    const run = await db().selectFrom('runs').select('id').where('command', '=', 'echo hello; exit 3').executeTakeFirstOrThrow();

    // The worker's part: it takes the run, its output goes out through the real log sink, then it ends.
    const runs = new RunStore(db());
    await runs.start(run.id, 'test-worker');
    const writer = await logWriter(stack, { deploymentId: run.id, logs: new RunLogStore(db()) as unknown as LogStore });
    writer.sink.write('runtime', 'hello from the run');
    await writer.sink.flush();
    await expect.poll(() => output.getByRole('list', { name: 'Run output' }).textContent(), rendered).toContain('hello from the run');
    await expect.poll(() => output.getByLabel('Run status: running').count(), rendered).toBe(1); // live: shown while it still runs
    await writer.close();
    await runs.finish(run.id, { status: 'failed', exitCode: 3, errorCode: 'RUN_FAILED', errorMessage: 'exited with code 3' });
    await expect.poll(() => output.getByLabel('Exit').textContent(), rendered).toBe('exit code 3');
    expect(await output.getByLabel('Run status: failed').count()).toBe(1);
    await expect.poll(() => page.getByRole('list', { name: 'Recent runs' }).textContent(), rendered).toContain('exit 3');

    await page.goto(`${stack.apiUrl}/#/projects/empty`);
    const empty = page.getByRole('form', { name: 'Start a run' });
    await empty.getByLabel('Command').fill('true');
    await empty.getByRole('button', { name: 'Run' }).click();
    await expect.poll(alertIn('Runs'), rendered).toContain('NO_RELEASE');

    // Back on shop: a listed run's stored output, replayed by its stream.
    await page.goto(`${stack.apiUrl}/#/projects/shop`);
    await page.getByRole('button', { name: `Output of run ${run.id}` }).click();
    await expect.poll(() => output.getByRole('list', { name: 'Run output' }).textContent(), rendered).toContain('hello from the run');
    expect(await output.getByLabel('Exit').textContent()).toBe('exit code 3');
  }, 60_000);

  it('jobs: added with a timezone, a bad schedule refused, edited, run now (its run listed), deleted', async () => {
    const form = page.getByRole('form', { name: 'Add job' });
    await form.getByLabel('Job name').fill('nightly');
    await form.getByLabel('Schedule').fill('* * *');
    await form.getByLabel('Command').fill('node cleanup.js');
    await form.getByLabel('Timezone').fill('Europe/Berlin');
    await form.getByRole('button', { name: 'Add job' }).click();
    await expect.poll(alertIn('Jobs'), rendered).toContain('INVALID_SCHEDULE');
    await form.getByLabel('Schedule').fill('0 3 * * *');
    await form.getByRole('button', { name: 'Add job' }).click();
    const card = page.getByRole('listitem', { name: 'Job nightly' });
    await expect.poll(() => card.textContent(), rendered).toContain('Europe/Berlin');
    expect(await card.textContent()).toContain('next run');

    await card.getByRole('button', { name: 'Edit job nightly' }).click();
    const edit = page.getByRole('form', { name: 'Edit job nightly' });
    await edit.getByLabel('Schedule').fill('30 4 * * *');
    await edit.getByRole('button', { name: 'Save job' }).click();
    await expect.poll(() => card.textContent(), rendered).toContain('30 4 * * *');

    await card.getByRole('button', { name: 'Run nightly now' }).click();
    await expect.poll(() => card.getByLabel('Run status: queued').count(), rendered).toBe(1);
    const jobRuns = await db().selectFrom('runs').select(['command', 'status']).where('job_id', 'is not', null).execute();
    expect(jobRuns).toEqual([{ command: 'node cleanup.js', status: 'queued' }]);
    await expect.poll(() => page.getByRole('list', { name: 'Recent runs' }).getByLabel('Run status: queued').count(), rendered).toBe(1);
    await screenshots(page, 'project-resources', { fullPage: true });

    await card.getByRole('button', { name: 'Delete job nightly' }).click();
    await expect.poll(() => page.getByText('No jobs.').count(), rendered).toBe(1);
  }, 60_000);

  it('services: added with status and variable name (no password), a duplicate refused, deleted keeping its data', async () => {
    await page.goto(`${stack.apiUrl}/#/projects/shop`);
    const form = page.getByRole('form', { name: 'Add service' });
    await form.getByLabel('Service name').fill('db');
    await form.getByRole('button', { name: 'Add service' }).click();
    const card = page.getByRole('listitem', { name: 'Service db' });
    await expect.poll(() => card.textContent(), rendered).toContain('DATABASE_URL');
    expect(await card.getByLabel(/^Service status: /).count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toMatch(/postgres(ql)?:\/\//);

    await form.getByLabel('Service name').fill('db');
    await form.getByRole('button', { name: 'Add service' }).click();
    await expect.poll(alertIn('Services'), rendered).toContain('CONFLICT');
    await screenshots(page, 'project-services', { fullPage: true });

    await card.getByRole('button', { name: 'Delete service db', exact: true }).click();
    await expect.poll(() => card.getByLabel('Service status: deleting').count(), rendered).toBe(1);
    const row = await db().selectFrom('services').selectAll().where('name', '=', 'db').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'deleting', delete_data: false });
  }, 60_000);

  it('backups: one taken from the page, its end shown, a finished one restored after a confirm; the failure as its code and sentence', async () => {
    expect((await callApi(stack, 'POST', '/api/projects/shop/services', { type: 'redis', name: 'cache' })).status).toBe(201);
    await page.goto(`${stack.apiUrl}/#/projects/shop`);
    const backups = page.getByRole('region', { name: 'Backups of cache', exact: true });
    await expect.poll(() => backups.textContent(), rendered).toContain('No backups yet.');
    await backups.getByRole('button', { name: 'Back up cache now' }).click();
    await expect.poll(() => backups.textContent(), rendered).toContain('queued');
    // No worker here: the test plays its end.
    const [taken] = await db().selectFrom('backups').select('id').where('service_name', '=', 'cache').execute();
    await db().updateTable('backups').set({ status: 'succeeded', bytes: 2_500_000, finished_at: new Date() }).where('id', '=', taken!.id).execute();
    await page.reload();
    await expect.poll(() => backups.textContent(), rendered).toContain('2.5 MB');
    await backups.getByRole('button', { name: `Restore backup ${taken!.id}`, exact: true }).click(); // the confirm is answered yes
    const restore = () => db().selectFrom('backups').select(['kind', 'backup_id', 'status']).where('kind', '=', 'restore').execute();
    await expect.poll(restore, rendered).toEqual([{ kind: 'restore', backup_id: taken!.id, status: 'queued' }]);
    await db().updateTable('backups').set({ status: 'failed', error_code: 'BACKUP_FAILED', error_message: 'pg_restore exited with 1', error_detail: 'ERROR: row alice' }).where('kind', '=', 'restore').execute();
    await page.reload();
    await expect.poll(() => backups.textContent(), rendered).toContain('BACKUP_FAILED: pg_restore exited with 1');
    expect(await backups.textContent()).toContain('ERROR: row alice'); // an admin: the tool's output too

    // Into a new service: the prompt's name (answered with its default), the service made, the restore queued into it.
    await backups.getByRole('button', { name: `Restore backup ${taken!.id} into a new service` }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Service cache-restored' }).count(), rendered).toBe(1);
    const into = await db().selectFrom('backups').select(['service_name', 'backup_id', 'status']).where('service_name', '=', 'cache-restored').execute();
    expect(into).toEqual([{ service_name: 'cache-restored', backup_id: taken!.id, status: 'queued' }]);
    await screenshots(page, 'project-service-backups', { fullPage: true });

    // A viewer (a read token) sees the list, without the buttons nor the tool's output.
    const reader = (await callApi(stack, 'POST', '/api/tokens', { name: 'reader', scope: 'read' })).body.token as string;
    const viewing = await browser.newContext();
    const viewer = await viewing.newPage();
    await viewer.goto(`${stack.apiUrl}/`);
    await viewer.getByLabel('API token').fill(reader);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.getByRole('heading', { name: 'Deployments' }).waitFor();
    await viewer.goto(`${stack.apiUrl}/#/projects/shop`);
    const seen = viewer.getByRole('region', { name: 'Backups of cache', exact: true });
    await expect.poll(() => seen.textContent(), rendered).toContain('2.5 MB');
    expect(await seen.textContent()).toContain('BACKUP_FAILED: pg_restore exited with 1');
    expect(await seen.textContent()).not.toContain('ERROR: row alice');
    expect(await seen.getByRole('button').count()).toBe(0);
    await viewing.close();
  }, 90_000);

  it('log drains: a paused one shows its error, and Resume has it tried at the next pass', async () => {
    // No worker here: the drain's failures are written as its deliverer records them.
    await db()
      .insertInto('log_drains')
      .values({ id: 'drn_paused', project: 'shop', url: 'syslog+tls://logs.example.com:6514', secret_sealed: null, status: 'paused', failures: 5, last_error: 'connect ECONNREFUSED 203.0.113.7:6514', retry_at: new Date(Date.now() + 300_000) })
      .execute();
    await page.goto(`${stack.apiUrl}/#/projects/shop`);
    const drains = page.getByRole('list', { name: 'Log drains' });
    await expect.poll(() => drains.textContent(), rendered).toContain('paused: connect ECONNREFUSED 203.0.113.7:6514');
    await screenshots(page, 'project-drains', { fullPage: true });
    await drains.getByRole('button', { name: 'Resume syslog+tls://logs.example.com:6514' }).click();
    const retryAt = async () => (await db().selectFrom('log_drains').select('retry_at').where('id', '=', 'drn_paused').executeTakeFirstOrThrow()).retry_at;
    await expect.poll(retryAt, rendered).toBeNull();
  }, 60_000);
});

import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, signedInPage } from '@berth/testing/browser';
import { deploymentIn } from '@berth/testing/replicas';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// The deployment page's resource charts against a real API on real Postgres. No worker: the samples a
// worker would write (cumulative counters, as Docker reports them) are rows inserted here.
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let busy: string;
let quiet: string;
const consoleErrors: string[] = [];

// What the page shows after a navigation or a refresh: expect.poll's default second is too short on a busy machine.
const rendered = { timeout: 15_000 };
const MiB = 1024 * 1024;

/**
 * What a replica writes once every 10 s up to `upTo` (limit 256 MiB): its use wanders around `rates` (CPU
 * cores, memory bytes, rx/tx bytes a second) and is exactly `rates` over the last 10 s.
 */
function samples(deploymentId: string, container: string, rates: { cores: number; memory: number; rx: number; tx: number }, count: number, upTo: number) {
  const total = { cpu: 0, rx: 0, tx: 0 };
  return Array.from({ length: count }, (_, i) => {
    const wander = i === count - 1 ? 1 : 0.6 + ((i * 7 + container.length) % 9) / 10;
    if (i > 0) (total.cpu += rates.cores * wander * 10e9), (total.rx += rates.rx * wander * 10), (total.tx += rates.tx * wander * 10);
    return {
      deployment_id: deploymentId,
      container,
      at: new Date(upTo - (count - 1 - i) * 10_000),
      cpu_ns: Math.round(total.cpu),
      memory_bytes: Math.round(rates.memory * wander),
      memory_limit_bytes: 256 * MiB,
      net_rx_bytes: Math.round(total.rx),
      net_tx_bytes: Math.round(total.tx),
      restarts: 0,
    };
  });
}

const chart = (title: string) => page.getByRole('figure', { name: title, exact: true });
const latest = (title: string) => () => chart(title).getByLabel(`${title} now`).textContent();

beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false });
  busy = await deploymentIn(stack, 'shop', 'running', { current: true, image: true });
  quiet = await deploymentIn(stack, 'shop', 'stopped');
  const now = Date.now() - 5_000;
  await stack.db.db
    .insertInto('app_metric_samples')
    .values([
      ...samples(busy, `${busy}.1`, { cores: 0.5, memory: 100 * MiB, rx: 10 * 1024, tx: 2 * 1024 }, 20, now),
      ...samples(busy, `${busy}.2`, { cores: 0.25, memory: 50 * MiB, rx: 5 * 1024, tx: 1024 }, 20, now),
    ])
    .execute();
  ({ browser, context, page } = await signedInPage(stack.apiUrl, testToken));
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(`${message.text()} ${message.location().url}`)));
  page.on('pageerror', (error) => void consoleErrors.push(error.message));
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('resource charts on the deployment page', () => {
  it('a line per replica in each chart, the newest values beside the titles and per replica, refreshed while it runs', async () => {
    await page.goto(`${stack.apiUrl}/#/deployments/${busy}`);
    await expect.poll(latest('CPU'), rendered).toBe('0.75 cores');
    expect(await latest('Memory')()).toBe('150 MiB of 512 MiB');
    expect(await latest('Network in')()).toBe('15.0 KiB/s');
    expect(await latest('Network out')()).toBe('3.0 KiB/s');
    for (const title of ['CPU', 'Memory', 'Network in', 'Network out']) {
      const lines = chart(title).locator('path.chart-line');
      expect(await lines.count()).toBe(2);
      expect(await lines.evaluateAll((paths) => paths.map((p) => p.getAttribute('data-replica')))).toEqual([`${busy}.1`, `${busy}.2`]);
      // Every line has points drawn (a path of several segments, not an empty one).
      for (const d of await lines.evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''))) expect(d.split('L').length).toBeGreaterThan(5);
    }
    const legend = await chart('CPU').getByRole('list', { name: 'CPU replicas' }).textContent();
    expect(legend).toContain(`${busy}.1 0.50 cores`);
    expect(legend).toContain(`${busy}.2 0.25 cores`);
    expect(await chart('Memory').textContent()).toContain('limit 256 MiB');
    expect(await chart('CPU').getByLabel('CPU axis top').textContent()).toMatch(/cores$/);
    expect(await page.getByText('2 replicas · a point every 10 s · 0 restarts').count()).toBe(1);
    await screenshots(page, 'deployment-metrics', { fullPage: true });

    // A new sample (replica 1 now on one and a half cores, holding 200 MiB) shows without a reload.
    const last = await stack.db.db.selectFrom('app_metric_samples').selectAll().where('container', '=', `${busy}.1`).orderBy('at', 'desc').executeTakeFirstOrThrow();
    const counters = { memory_limit_bytes: Number(last.memory_limit_bytes), net_rx_bytes: Number(last.net_rx_bytes), net_tx_bytes: Number(last.net_tx_bytes) };
    await stack.db.db
      .insertInto('app_metric_samples')
      .values({ ...last, ...counters, at: new Date(last.at.getTime() + 10_000), cpu_ns: Number(last.cpu_ns) + 15e9, memory_bytes: 200 * MiB })
      .execute();
    await expect.poll(latest('CPU'), rendered).toBe('1.75 cores');
    expect(await latest('Memory')()).toBe('250 MiB of 512 MiB');
  }, 60_000);

  it('a deployment with no samples says so; the page logged no errors', async () => {
    await page.goto(`${stack.apiUrl}/#/deployments/${quiet}`);
    await page.getByLabel('Status: stopped').first().waitFor();
    await expect.poll(() => page.getByText('No samples yet.').count(), rendered).toBe(1);
    expect(await page.getByRole('figure').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it("a refused read shows the API's error, and the next good read clears it", async () => {
    await page.goto(`${stack.apiUrl}/#/deployments/${busy}`);
    await expect.poll(latest('CPU'), rendered).toBe('1.75 cores');
    const resources = page.getByRole('region', { name: 'Resources' });
    // The table out of the API's reach (this stack's own database): its next read fails as any unexpected error does.
    await sql`alter table app_metric_samples rename to app_metric_samples_away`.execute(stack.db.db);
    await expect.poll(() => resources.getByRole('alert').textContent(), rendered).toBe('INTERNAL: internal error');
    await sql`alter table app_metric_samples_away rename to app_metric_samples`.execute(stack.db.db);
    await expect.poll(() => resources.getByRole('alert').count(), rendered).toBe(0);
    expect(await latest('CPU')()).toBe('1.75 cores');
  }, 60_000);
});

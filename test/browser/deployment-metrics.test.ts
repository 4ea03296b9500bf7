import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRequest, emptyTally } from '@berth/shared/app-metrics/request-histogram';
import { tallyRow } from '@berth/shared/app-metrics/request-metric-store';
import { screenshots, signedInPage } from '@berth/testing/browser';
import { deploymentIn } from '@berth/testing/replicas';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// The deployment page's resource and request charts (and the project page's request charts) against a real
// API on real Postgres. No worker, no router: the samples a worker would write (cumulative counters, as Docker
// reports them) and the request tallies router-sync would write are rows inserted here.
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

/**
 * What router-sync would write for a deployment each 10 s step from 2 minutes ago: 100 2xx and 10 4xx in 5 ms,
 * 10 5xx in 300 ms (12 requests a second, p95 in 300 ms's bucket). Steps up to 2 minutes ahead are written too, so the
 * newest finished step the page draws has requests however long the test takes.
 */
function requestRows(deploymentId: string) {
  const step = 10_000;
  const first = Math.floor((Date.now() - 120_000) / step) * step;
  return Array.from({ length: 26 }, (_, i) => {
    const tally = emptyTally();
    for (let n = 0; n < 100; n++) countRequest(tally, 200, 0.005);
    for (let n = 0; n < 10; n++) countRequest(tally, 404, 0.005);
    for (let n = 0; n < 10; n++) countRequest(tally, 502, 0.3);
    return tallyRow({ deploymentId, at: new Date(first + i * step + 1_000), tally });
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
  await stack.db.db.insertInto('app_request_metrics').values(requestRows(busy)).execute();
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
      expect(await lines.evaluateAll((paths) => paths.map((p) => p.getAttribute('data-series')))).toEqual([`${busy}.1`, `${busy}.2`]);
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
    await expect.poll(() => page.getByText('No requests in the last 15 minutes.').count(), rendered).toBe(1);
    expect(await page.getByRole('figure').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});

describe('request charts on the deployment and project pages', () => {
  const lineNames = (title: string) => chart(title).locator('path.chart-line').evaluateAll((paths) => paths.map((p) => `${p.getAttribute('data-series')} ${p.getAttribute('class')}`));

  it('requests a second by status class (server errors red) and p50/p95/p99 latency, on both pages', async () => {
    await page.goto(`${stack.apiUrl}/#/deployments/${busy}`);
    await expect.poll(latest('By status class'), rendered).toBe('12.0 req/s');
    expect(await latest('Latency')()).toBe('p95 362 ms');
    expect(await lineNames('By status class')).toEqual(['2xx chart-line series-2', '3xx chart-line series-0', '4xx chart-line series-1', '5xx chart-line series-error']);
    expect(await lineNames('Latency')).toEqual(['p50 chart-line series-0', 'p95 chart-line series-1', 'p99 chart-line series-3 dashed']);
    const legend = await chart('By status class').getByRole('list', { name: 'By status class lines' }).textContent();
    for (const text of ['2xx 10.0 req/s', '3xx 0.00 req/s', '4xx 1.00 req/s', '5xx 1.00 req/s']) expect(legend).toContain(text);
    expect(await chart('Latency').getByRole('list', { name: 'Latency lines' }).textContent()).toContain('p50 5.7 ms');
    const requests = page.getByRole('region', { name: 'Requests' });
    expect(await requests.textContent()).toMatch(/\d+ requests · 8\.3 % answered 5xx · a point every 10 s/);

    // The project's charts add up its deployments: only this one got requests.
    await page.goto(`${stack.apiUrl}/#/projects/shop`);
    await expect.poll(latest('By status class'), rendered).toBe('12.0 req/s');
    expect(await latest('Latency')()).toBe('p95 362 ms');
    await screenshots(page, 'project-requests', { fullPage: true });
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});

describe('refused reads', () => {
  it("a refused read shows the API's error in each section, and the next good read clears it", async () => {
    await page.goto(`${stack.apiUrl}/#/deployments/${busy}`);
    await expect.poll(latest('CPU'), rendered).toBe('1.75 cores');
    await expect.poll(latest('By status class'), rendered).toBe('12.0 req/s');
    const sections = [page.getByRole('region', { name: 'Resources' }), page.getByRole('region', { name: 'Requests' })];
    // The tables out of the API's reach (this stack's own database): their next reads fail as any unexpected error does.
    await sql`alter table app_metric_samples rename to app_metric_samples_away`.execute(stack.db.db);
    await sql`alter table app_request_metrics rename to app_request_metrics_away`.execute(stack.db.db);
    for (const section of sections) await expect.poll(() => section.getByRole('alert').textContent(), rendered).toBe('INTERNAL: internal error');
    await sql`alter table app_metric_samples_away rename to app_metric_samples`.execute(stack.db.db);
    await sql`alter table app_request_metrics_away rename to app_request_metrics`.execute(stack.db.db);
    for (const section of sections) await expect.poll(() => section.getByRole('alert').count(), rendered).toBe(0);
    expect(await latest('CPU')()).toBe('1.75 cores');
    expect(await latest('By status class')()).toBe('12.0 req/s');
  }, 60_000);
});

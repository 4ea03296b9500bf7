import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 30 item 2: requests per app, counted from Caddy's access log by
// router-sync, read back per project with status classes and percentiles.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { REQUEST_METRICS_INTERVAL_MS: '300', METRICS_PUBLISH_MS: '300' } });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** Answers 200, a 404 on /missing, and 200 after `slowMs` on /slow. */
const slowMs = 400;
const server = `
const http = require('node:http');
http.createServer((req, res) => {
  if (req.url === '/missing') { res.statusCode = 404; return res.end('no'); }
  if (req.url === '/slow') return setTimeout(() => res.end('slow'), ${slowMs});
  res.end('ok');
}).listen(Number(process.env.PORT || 3000));
`;

interface Point {
  requests: number;
  status: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  p50: number | null;
  p95: number | null;
}

const viaCaddy = (pathname: string) => request(`${stack.caddyUrl}${pathname}`, { host: 'traffic.localhost' });

describe('request metrics', () => {
  it("counts an app's requests by status class, with a p95 above its slow endpoint's delay, on the API and /metrics", async () => {
    const created = await createDeployment(stack, { archive: await zipTestApp('hello', { 'server.js': server }), fields: { name: 'traffic' } });
    expect((await settled(stack, created.id)).status).toBe('running');
    // Until the route is loaded the host gets the 404 page, which no app answers: not counted.
    await waitFor('the app through caddy', async () => ((await viaCaddy('/')).status === 200 ? true : undefined), 20_000, 100);

    const statuses = await Promise.all([
      ...Array.from({ length: 20 }, () => viaCaddy('/').then((r) => r.status)),
      ...Array.from({ length: 6 }, () => viaCaddy('/missing').then((r) => r.status)),
      ...Array.from({ length: 4 }, () => viaCaddy('/slow').then((r) => r.status)),
    ]);
    expect(statuses.filter((s) => s === 404)).toHaveLength(6);

    const point = await waitFor('the requests in the API', async () => {
      const res = await stack.inject({ method: 'GET', url: '/api/projects/traffic/request-metrics?step=3600' });
      expect(res.statusCode, res.body).toBe(200);
      const points = res.json().points as Point[];
      expect(points.length).toBeLessThanOrEqual(2); // the range may straddle one step's end
      const sum = (f: (p: Point) => number) => points.reduce((n, p) => n + f(p), 0);
      const total = { requests: sum((p) => p.requests), '2xx': sum((p) => p.status['2xx']), '4xx': sum((p) => p.status['4xx']), '5xx': sum((p) => p.status['5xx']) };
      return total['2xx'] >= 25 && total['4xx'] >= 6 ? { total, points } : undefined;
    }, 20_000, 200);
    // The waits' own 200s count too: at least the 24 sent, plus one or more.
    expect(point.total['4xx']).toBe(6);
    expect(point.total['5xx']).toBe(0);
    expect(point.total.requests).toBe(point.total['2xx'] + 6);
    // Slow requests are at least 2 in 31 of any step they fall in (even split across two): above 5 %.
    expect(Math.max(...point.points.map((p) => p.p95 ?? 0))).toBeGreaterThanOrEqual(slowMs / 1000);
    const busiest = point.points.reduce((a, b) => (b.requests > a.requests ? b : a));
    expect(busiest.p50).toBeLessThan(slowMs / 1000);

    // Per deployment: the project's only deployment answers the same points, and says whose they are.
    const own = await stack.inject({ method: 'GET', url: `/api/deployments/${created.id}/request-metrics?step=3600` });
    expect(own.json()).toMatchObject({ deploymentId: created.id, project: 'traffic', step: 3600 });
    const ownFourxx = (own.json().points as Point[]).reduce((n, p) => n + p.status['4xx'], 0);
    expect(ownFourxx).toBe(6);

    // The same, per project, on /metrics (router-sync publishes through Redis).
    await waitFor('the requests on /metrics', async () => {
      const scrape = (await stack.inject({ method: 'GET', url: '/metrics' })).body;
      // The line of `family` with every one of `labels`, in whatever order they are printed.
      const value = (family: string, labels: string[]) => {
        const found = scrape.split('\n').find((l) => l.startsWith(`${family}{`) && labels.every((label) => l.includes(label)));
        return Number(found?.split(' ').at(-1) ?? NaN);
      };
      if (value('berth_app_requests_total', ['project="traffic"', 'status_class="4xx"']) !== 6) return undefined;
      expect(value('berth_app_requests_total', ['project="traffic"', 'status_class="2xx"'])).toBe(point.total['2xx']);
      // Four requests took the slow endpoint's 0.4 s: none of them is in the 0.25 s bucket.
      const le = (bound: string) => value('berth_app_request_duration_seconds_bucket', [`le="${bound}"`, 'project="traffic"']);
      expect(le('+Inf') - le('0.25')).toBe(4);
      return true;
    }, 10_000, 200);
  }, 120_000);

  it('refuses a project or deployment that does not exist, a since in the future, and a range of too many points', async () => {
    const ask = (url: string) => stack.inject({ method: 'GET', url });
    expect((await ask('/api/projects/nosuch/request-metrics')).statusCode).toBe(404);
    const future = await ask(`/api/projects/traffic/request-metrics?since=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('VALIDATION_FAILED');
    const tooMany = await ask(`/api/projects/traffic/request-metrics?since=${new Date(Date.now() - 86_400_000).toISOString()}&step=1`);
    expect(tooMany.json().error.message).toContain('at most 2000');
    expect((await ask('/api/projects/traffic/request-metrics?step=0')).statusCode).toBe(400);
    // The same doors on the deployment's route: a missing one is 404, bad ranges are 400s, never 500s.
    const deployment = '/api/deployments/nosuchdeployment/request-metrics';
    expect((await ask(deployment)).json().error.code).toBe('NOT_FOUND');
    const { id } = (await stack.inject({ method: 'GET', url: '/api/deployments?limit=1' })).json().items[0];
    const bad = ['since=yesterday', 'step=-5', 'step=1.5', 'step=86401', 'since=2026-13-40T00:00:00Z', `since=${new Date(Date.now() + 3_600_000).toISOString()}`, 'extra=1'];
    for (const query of bad) expect((await ask(`/api/deployments/${id}/request-metrics?${query}`)).statusCode, query).toBe(400);
  });
});

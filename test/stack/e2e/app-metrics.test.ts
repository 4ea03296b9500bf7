import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 30 item 1: what each app uses, sampled from Docker's stats by the
// worker that owns the host, read back per replica with rates.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ router: false, env: { APP_METRICS_INTERVAL_MS: '1000' } });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** The hello app, with a loop that keeps about half a core busy next to its server. */
const burner = `
const http = require('node:http');
http.createServer((req, res) => res.end('burning')).listen(Number(process.env.PORT || 3000));
setInterval(() => { const end = Date.now() + 50; while (Date.now() < end); }, 100);
`;

interface Point {
  cpu: number | null;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytesPerSecond: number | null;
  restarts: number;
}
type Replicas = { container: string; points: Point[] }[];

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function running(name: string, overrides: Record<string, string> = {}): Promise<string> {
  const created = await createDeployment(stack, { archive: await zipTestApp('hello', overrides), fields: { name } });
  expect((await settled(stack, created.id)).status).toBe('running');
  return created.id;
}

/** The deployment's replicas once one has `points` points with a CPU rate. */
async function metricsOf(id: string, points: number): Promise<Replicas> {
  return waitFor(`${points} metric points of ${id}`, async () => {
    const res = await stack.inject({ method: 'GET', url: `/api/deployments/${id}/metrics?step=1` });
    expect(res.statusCode, res.body).toBe(200);
    const replicas = res.json().replicas as Replicas;
    return replicas[0] && replicas[0].points.filter((p) => p.cpu !== null).length >= points ? replicas : undefined;
  }, 20_000, 250);
}

describe('app metrics', () => {
  it('shows a busy app\'s CPU and an idle one\'s, their memory against the limit, within seconds', async () => {
    const [busy, idle] = await Promise.all([running('metrics-busy', { 'server.js': burner }), running('metrics-idle')]);
    const [busyReplicas, idleReplicas] = await Promise.all([metricsOf(busy, 4), metricsOf(idle, 4)]);
    expect(busyReplicas).toHaveLength(1);
    const busyCpu = busyReplicas[0]!.points.map((p) => p.cpu ?? 0);
    const idleCpu = idleReplicas[0]!.points.map((p) => p.cpu ?? 0);
    // Half a core asked for; a loaded two-core machine gives it less, never as little as an idle app uses.
    // An idle app still wakes now and then (a health check, a collection): its median is near zero, not every point.
    const seen = `busy ${JSON.stringify(busyCpu)}, idle ${JSON.stringify(idleCpu)}`;
    expect(Math.max(...busyCpu), seen).toBeGreaterThan(0.1);
    expect(median(idleCpu), seen).toBeLessThan(0.05);
    expect(mean(busyCpu), seen).toBeGreaterThan(3 * mean(idleCpu));
    const last = busyReplicas[0]!.points.at(-1)!;
    expect(last.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(last.memoryLimitBytes).toBeGreaterThan(last.memoryBytes);
    expect(last.restarts).toBe(0);
    expect(busyReplicas[0]!.container).toMatch(/^[0-9a-f]{12}$/);

    // Per project on /metrics, for Prometheus.
    const scrape = (await stack.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (family: string, project: string) => Number(new RegExp(`^${family}\\{project="${project}"\\} (\\S+)$`, 'm').exec(scrape)?.[1]);
    expect(value('berth_app_cpu_seconds_total', 'metrics-busy')).toBeGreaterThan(value('berth_app_cpu_seconds_total', 'metrics-idle'));
    expect(value('berth_app_memory_bytes', 'metrics-idle')).toBeGreaterThan(1024 * 1024);
    expect(value('berth_app_network_receive_bytes_total', 'metrics-idle')).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('refuses a since in the future, a range of too many points, and a deployment that does not exist', async () => {
    const ask = (query: string, id = 'nosuchdeployment') => stack.inject({ method: 'GET', url: `/api/deployments/${id}/metrics${query}` });
    expect((await ask('')).statusCode).toBe(404);
    const anyId = (await stack.inject({ method: 'GET', url: '/api/deployments?limit=1' })).json().items[0].id as string;
    const future = await ask(`?since=${new Date(Date.now() + 3_600_000).toISOString()}`, anyId);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('VALIDATION_FAILED');
    const tooMany = await ask(`?since=${new Date(Date.now() - 86_400_000).toISOString()}&step=1`, anyId);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('at most 2000');
    expect((await ask('?since=yesterday', anyId)).statusCode).toBe(400);
  });
});

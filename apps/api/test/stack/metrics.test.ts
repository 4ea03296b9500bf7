import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@berth/api/app';
import { createRedis } from '@berth/shared/redis';
import { otherProcessesMetrics } from '../../src/metrics.ts';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// /metrics on the whole platform (API, a worker, router-sync with a private Caddy): each family moves
// when what it counts happens. Processes publish every 200 ms here.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 1, env: { METRICS_PUBLISH_MS: '200' } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

type Samples = Map<string, number>;

/** Parses the text exposition into `name{labels}` → value (labels as Prometheus prints them). */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

async function scrape(): Promise<Samples> {
  const res = await stack.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(res.body);
}

/** Waits until a scrape satisfies `check` (the publishers write every 200 ms). */
async function scrapeUntil(what: string, check: (s: Samples) => boolean): Promise<Samples> {
  return waitFor(what, async () => {
    const s = await scrape();
    return check(s) ? s : undefined;
  }, 20_000, 100);
}

const value = (s: Samples, key: string) => s.get(key) ?? 0;

describe('GET /metrics', () => {
  it('needs a token: 401 without one, 200 with a read token', async () => {
    const anonymous = await stack.api.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    const created = await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'prometheus', scope: 'read' } });
    const res = await stack.api.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${created.json().token}` } });
    expect(res.statusCode).toBe(200);
  });

  it('counts a deployment by status and moves the queue, build, deploy-to-live, log and Caddy families', async () => {
    const before = await scrape();
    expect(value(before, 'berth_deployments{status="running"}')).toBe(0);
    expect(before.has('berth_deployments{status="failed"}')).toBe(true);
    const created = await createDeployment(stack, { archive: await zipTestApp('hello'), fields: { name: 'metered' } });
    expect((await settled(stack, created.id, 120_000)).status).toBe('running');

    // router-sync's loads: its first (the config naming its route resolver). A docker-mode deploy itself loads
    // nothing (the resolver answers for the new host), so the count need not move with it.
    const after = await scrapeUntil('the worker and router-sync to publish', (s) =>
      value(s, 'berth_deploy_to_live_seconds_count') >= 1 && value(s, 'berth_caddy_config_loads_total{result="ok"}') >= 1,
    );
    expect(value(after, 'berth_deployments{status="running"}')).toBe(1);
    expect(value(after, 'berth_queue_wait_seconds_count')).toBe(value(before, 'berth_queue_wait_seconds_count') + 1);
    expect(value(after, 'berth_build_duration_seconds_count{result="succeeded"}')).toBe(1);
    expect(value(after, 'berth_deploy_to_live_seconds_count')).toBe(1);
    expect(value(after, 'berth_deploy_to_live_seconds_sum')).toBeGreaterThan(0);
    expect(value(after, 'berth_log_lines_total')).toBeGreaterThan(value(before, 'berth_log_lines_total'));
    expect(value(after, 'berth_caddy_config_load_duration_seconds_count')).toBeGreaterThan(0);
    expect(after.has('berth_queue_jobs{state="waiting"}')).toBe(true);
    // The job finishes a moment after the deployment runs: the queue is empty again.
    await scrapeUntil('the queue to drain', (s) => value(s, 'berth_queue_jobs{state="active"}') === 0 && value(s, 'berth_queue_jobs{state="waiting"}') === 0);
  }, 180_000);

  it('counts open event streams while they are open, and not after', async () => {
    expect(value(await scrape(), 'berth_event_streams_open')).toBe(0);
    const abort = new AbortController();
    const res = await fetch(`${stack.apiUrl}/api/events?token=${testToken}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    await scrapeUntil('the stream to be counted', (s) => value(s, 'berth_event_streams_open') === 1);
    abort.abort();
    await res.body?.cancel().catch(() => {});
    await scrapeUntil('the stream to be gone', (s) => value(s, 'berth_event_streams_open') === 0);
  });

  it('counts a job waiting in the queue while no worker takes it', async () => {
    await stack.workers[0]!.close();
    await createDeployment(stack, { gitUrl: 'https://example.com/acme/waiting.git', name: 'waiting' });
    const s = await scrape();
    expect(value(s, 'berth_queue_jobs{state="waiting"}')).toBe(1);
    expect(value(s, 'berth_deployments{status="queued"}')).toBe(1);
  });

  it('answers 503 (never a partial scrape) when Redis is unreachable', async () => {
    const down = createRedis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const deps = stack.apiDeps();
    const app = await buildApp({ ...deps, metricsSources: { ...deps.metricsSources, published: () => otherProcessesMetrics(down, stack.instance, 'me') } });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${testToken}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'QUEUE_UNAVAILABLE', message: expect.stringContaining('Redis') } });
    } finally {
      await app.close();
      down.disconnect();
    }
  });
});

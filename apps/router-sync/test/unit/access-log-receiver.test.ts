import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { RouterMetrics } from '@berth/shared/metrics';
import type { DeploymentTally } from '@berth/shared/app-metrics/request-metric-store';
import { AccessLogReceiver } from '../../src/access-log-receiver.ts';
import { routedHosts } from '../../src/caddy-config.ts';

const line = (host: string, status: number, duration: number) =>
  JSON.stringify({ level: 'info', logger: 'http.log.access.berth', request: { proto: 'HTTP/1.1', method: 'GET', host }, duration, size: 2, status });

function receiver() {
  const written: DeploymentTally[][] = [];
  const metrics = new RouterMetrics();
  const r = new AccessLogReceiver({ listen: '127.0.0.1:0', intervalMs: 60_000, write: async (rows) => void written.push([...rows]), metrics, logger: createLogger('test', 'silent') });
  const state = {
    apps: [
      { deploymentId: 'dshop1', project: 'shop', upstream: '10.0.0.2:3000' },
      { deploymentId: 'dshop2', project: 'shop', upstream: '10.0.0.3:3000' },
    ],
    current: new Map([['shop', 'dshop2']]),
    domains: new Map([['Shop.Example.com', 'shop']]),
  };
  r.setHosts(routedHosts(state, 'berth.test'));
  return { r, written, metrics };
}

describe('AccessLogReceiver', () => {
  it("counts each request under the deployment its host routes to: the project's name, a deployment's own, a custom domain", async () => {
    const { r, written, metrics } = receiver();
    expect(r.count(line('shop.berth.test:8080', 200, 0.004))).toBe(true);
    expect(r.count(line('SHOP.berth.test', 404, 0.002))).toBe(true);
    expect(r.count(line('dshop1.berth.test', 503, 0.3))).toBe(true);
    expect(r.count(line('shop.example.com:8443', 301, 0.01))).toBe(true);
    await r.flush(new Date(0));
    expect(written).toHaveLength(1);
    const byId = Object.fromEntries(written[0]!.map((row) => [row.deploymentId, row.tally]));
    expect(byId.dshop2).toMatchObject({ requests: 3, status: { '2xx': 1, '3xx': 1, '4xx': 1, '5xx': 0 } });
    expect(byId.dshop1).toMatchObject({ requests: 1, status: { '5xx': 1 } });
    // The next interval starts from nothing.
    await r.flush(new Date(1));
    expect(written[1]).toEqual([]);
    const scrape = await metrics.registry.metrics();
    expect(scrape).toContain('berth_app_requests_total{project="shop",status_class="2xx"} 1');
    expect(scrape).toContain('berth_app_request_duration_seconds_count{project="shop"} 4');
  });

  it('ignores hosts no app answers at, lines that are not JSON, and lines without a status or duration', () => {
    const { r } = receiver();
    expect(r.count(line('berth.test', 200, 0.01))).toBe(false);
    expect(r.count(line('nosuch.berth.test', 404, 0.01))).toBe(false);
    expect(r.count('not json')).toBe(false);
    expect(r.count(JSON.stringify({ request: { host: 'shop.berth.test' }, status: '200', duration: 0.1 }))).toBe(false);
    expect(r.count(JSON.stringify({ request: { host: 'shop.berth.test' }, status: 200 }))).toBe(false);
    expect(r.count(JSON.stringify({ status: 200, duration: 0.1 }))).toBe(false);
    // JSON that is not an object, or a host that is not a string: whoever can write to the socket may send it; it never throws.
    for (const hostile of ['null', '7', '"x"', '[]', JSON.stringify({ request: null }), JSON.stringify({ request: { host: 1 }, status: 200, duration: 0.1 })]) {
      expect(r.count(hostile), hostile).toBe(false);
    }
  });

  it('keeps going after a write fails (that interval is lost, the next is written)', async () => {
    let fail = true;
    const rows: DeploymentTally[] = [];
    const r = new AccessLogReceiver({
      listen: '127.0.0.1:0',
      intervalMs: 60_000,
      write: async (more) => {
        if (fail) throw new Error('database down');
        rows.push(...more);
      },
      metrics: new RouterMetrics(),
      logger: createLogger('test', 'silent'),
    });
    r.setHosts(new Map([['a.berth.test', { deploymentId: 'da', project: 'a' }]]));
    r.count(line('a.berth.test', 200, 0.01));
    await r.flush();
    fail = false;
    r.count(line('a.berth.test', 500, 0.01));
    await r.flush();
    expect(rows.map((row) => row.tally.status['5xx'])).toEqual([1]);
  });

  it("reads a connection's lines in batches: a line a millisecond, every one counted, a read per pause rather than per line", async () => {
    const sent = 200;
    const readsFor = async (readPauseMs: number) => {
      const rows: DeploymentTally[] = [];
      const logger = createLogger('test', 'silent');
      const r = new AccessLogReceiver({ listen: '127.0.0.1:0', intervalMs: 60_000, write: async (more) => void rows.push(...more), metrics: new RouterMetrics(), logger, readPauseMs });
      const address = await r.start();
      r.setHosts(new Map([['a.berth.test', { deploymentId: 'da', project: 'a' }]]));
      const client = net.connect({ host: '127.0.0.1', port: Number(address.slice(address.lastIndexOf(':') + 1)) }).setNoDelay(true);
      await new Promise((resolve) => client.once('connect', resolve));
      for (let i = 0; i < sent; i++) {
        client.write(`${line('a.berth.test', 200, 0.001)}\n`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      client.end();
      await new Promise((resolve) => client.once('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, readPauseMs * 2 + 50)); // the last pause ends, the rest is read
      await r.stop();
      expect(rows.reduce((n, row) => n + row.tally.requests, 0)).toBe(sent);
      return r.reads;
    };
    const batched = await readsFor(25);
    const eager = await readsFor(0);
    expect(batched).toBeLessThan(sent / 4);
    expect(batched).toBeLessThan(eager);
  });

  it('reads on without a pause while reads come back full (what the kernel holds of a burst comes at once, not a read per pause)', async () => {
    let counted = 0;
    const r = new AccessLogReceiver({ listen: '127.0.0.1:0', intervalMs: 60_000, write: async (rows) => void (counted += rows.reduce((n, row) => n + row.tally.requests, 0)), metrics: new RouterMetrics(), logger: createLogger('test', 'silent'), readPauseMs: 5000 });
    const address = await r.start();
    r.setHosts(new Map([['a.berth.test', { deploymentId: 'da', project: 'a' }]]));
    const burst = `${line('a.berth.test', 200, 0.001)}\n`.repeat(8000); // about 1.3 MB
    const client = net.connect({ host: '127.0.0.1', port: Number(address.slice(address.lastIndexOf(':') + 1)) });
    await new Promise((resolve) => client.once('connect', resolve));
    client.write(burst);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await r.flush();
    client.destroy();
    await r.stop();
    // Paused after every read, the first 5 s would see one read (64 KiB: about 400 lines); reading on while
    // reads fill the buffer, all that the socket buffers held (a few hundred KiB on loopback).
    expect(counted).toBeGreaterThan(800);
  });
});

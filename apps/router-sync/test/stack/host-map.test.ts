import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCaddyAdmin } from '../../src/caddy-admin.ts';
import { buildCaddyConfig, routedHosts, type RoutingState } from '../../src/caddy-config.ts';
import { canonicalJson } from '../../src/router-sync.ts';
import { RouteResolver } from '../../src/dns/route-resolver.ts';
import { startCaddy, type TestCaddy } from '@berth/testing/caddy';
import { waitFor } from '@berth/testing/ports';

// The installed Caddy (2.6) with app hosts as one map (swarm mode), and looked up in router-sync's
// resolver (docker mode): each app host reaches its own upstream through the one proxy, the API host
// and unknown hosts are as before.
let caddy: TestCaddy;
const resolver = new RouteResolver('127.0.0.1:0', { warn: () => {} } as never);
let resolverAddress = '';
const servers: http.Server[] = [];
const upstream: Record<string, string> = {};
beforeAll(async () => {
  caddy = await startCaddy();
  resolverAddress = await resolver.start();
  for (const name of ['api', 'one', 'two']) {
    const s = http.createServer((_q, r) => r.end(`hello from ${name}`));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    upstream[name] = `127.0.0.1:${(s.address() as AddressInfo).port}`;
  }
});
afterAll(async () => {
  await caddy?.stop();
  await resolver.stop();
  servers.forEach((s) => s.close());
});

function ask(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`http://127.0.0.1:${caddy.httpPort}/some/path`, { headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // Which host, should a connection ever fail (it failed once in CI with a bare ECONNRESET).
    req.on('error', (err) => reject(new Error(`asking for ${host}: ${err.message}`, { cause: err })));
  });
}

/** Loads the config (read back unchanged, or router-sync would reload on every resync); each app host reaches its app. */
async function loadAndReachApps(config: Record<string, unknown>): Promise<void> {
  const admin = new HttpCaddyAdmin(caddy.adminUrl);
  await admin.load(config);
  expect(canonicalJson(await admin.current())).toBe(canonicalJson(config));
  expect(await ask('aaaa11112222.berth.localhost')).toEqual({ status: 200, body: 'hello from one' });
  expect(await ask('bbbb33334444.berth.localhost')).toEqual({ status: 200, body: 'hello from two' });
  expect(await ask('shop.berth.localhost')).toEqual({ status: 200, body: 'hello from one' });
  expect(await ask('feature-x--shop.berth.localhost:8080')).toEqual({ status: 200, body: 'hello from two' });
}

describe('app hosts as one map', () => {
  it('sends each host to its own upstream and everything else to the API or the 404 page', async () => {
    const config = buildCaddyConfig(
      {
        apps: [
          { deploymentId: 'aaaa11112222', project: 'shop', upstream: upstream.one! },
          { deploymentId: 'bbbb33334444', project: 'shop', upstream: upstream.two! },
        ],
        current: new Map([['shop', 'aaaa11112222']]),
        previews: new Map([['feature-x--shop', 'bbbb33334444']]),
      },
      {
        adminListen: caddy.adminListen,
        httpListen: `127.0.0.1:${caddy.httpPort}`,
        baseDomain: 'berth.localhost',
        apiUpstream: upstream.api!,
        httpsListen: `127.0.0.1:${caddy.httpsPort}`,
        tlsIssuer: { module: 'internal' },
        appUpstreams: { dialTimeoutMs: 1000, responseHeaderTimeoutMs: 60_000, failDurationMs: 5000 },
      },
    );
    await loadAndReachApps(config);
    expect(await ask('berth.localhost')).toEqual({ status: 200, body: 'hello from api' });
    // A Host that names the placeholder is refused before any route (Go's server: 400), never looked up.
    expect((await ask('{berth.upstream}')).status).toBe(400);
    for (const host of ['nope.berth.localhost', 'berth.localhost.evil.example', 'SHOP.berth.localhost']) {
      const res = await ask(host);
      expect(res.status, host).toBe(404);
      expect(res.body).toContain('no deployment answers at this address');
    }
  });
});

const state = (current: string): RoutingState => ({
  apps: [
    { deploymentId: 'aaaa11112222', project: 'shop', upstream: upstream.one! },
    { deploymentId: 'bbbb33334444', project: 'shop', upstream: upstream.two! },
  ],
  current: new Map([['shop', current]]),
  previews: new Map([['feature-x--shop', 'bbbb33334444']]),
});

describe('app hosts looked up in the route resolver', () => {
  it('reaches each app, switches the project URL without a config load, and answers any other Host with the 404 page', async () => {
    const settings = {
      adminListen: caddy.adminListen,
      httpListen: `127.0.0.1:${caddy.httpPort}`,
      baseDomain: 'berth.localhost',
      apiUpstream: upstream.api!,
      httpsListen: `127.0.0.1:${caddy.httpsPort}`,
      tlsIssuer: { module: 'internal' as const },
      appUpstreams: { dialTimeoutMs: 1000, responseHeaderTimeoutMs: 60_000, failDurationMs: 5000 },
      routeResolver: resolverAddress,
    };
    resolver.setHosts(routedHosts(state('aaaa11112222'), settings.baseDomain));
    const config = buildCaddyConfig(state('aaaa11112222'), settings);
    await loadAndReachApps(config);
    expect(await ask('SHOP.Berth.localhost')).toEqual({ status: 200, body: 'hello from one' }); // DNS: any case
    expect(await ask('berth.localhost')).toEqual({ status: 200, body: 'hello from api' });

    // The project URL moves: the resolver's answer changes, Caddy's config does not, and within its refresh.
    const moved = state('bbbb33334444');
    expect(canonicalJson(buildCaddyConfig(moved, settings))).toBe(canonicalJson(config));
    const switched = performance.now();
    resolver.setHosts(routedHosts(moved, settings.baseDomain));
    await waitFor('shop to serve two', async () => (await ask('shop.berth.localhost')).body === 'hello from two', 5000, 5);
    expect(performance.now() - switched).toBeLessThan(1000);

    // Attack: a Host that names no routed app, however spelled, reaches nothing but the 404 page.
    expect((await ask('{http.request.host}')).status).toBe(400); // refused by Go's server before any route
    const strangers = [
      'nope.berth.localhost',
      'berth.localhost.evil.example',
      'evil.example',
      'aaaa11112222.dep.berth', // a deployment's own resolver name
      'shop.berth.localhost.up.berth',
      'a..b.berth.localhost',
      `${'x'.repeat(70)}.berth.localhost`, // a label too long for DNS
      `${'abcdefgh.'.repeat(30)}berth.localhost`, // a name too long for DNS
      '127.0.0.1',
      'localhost',
    ];
    for (const host of strangers) {
      const res = await ask(host);
      expect(res, host).toEqual({ status: 404, body: 'Berth: no deployment answers at this address.\n' });
    }
    // A removed app: its hosts go to the 404 page too, with no config load.
    resolver.setHosts(routedHosts({ ...moved, apps: moved.apps.slice(1) }, settings.baseDomain));
    await waitFor('aaaa gone', async () => (await ask('aaaa11112222.berth.localhost')).status === 404, 5000, 5);
  });
});

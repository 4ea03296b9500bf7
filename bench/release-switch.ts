/**
 * The switch itself, without Docker or builds: a real Caddy (2.6) in front of
 * RELEASES + 1 tiny upstreams (node http servers, each answering its own
 * version), 4 kept-alive clients on the project URL that NEVER send a request
 * again, and the project URL moved RELEASES times, one switch every
 * INTERVAL_MS, in each of the two ways router-sync can route:
 * - resolver (docker mode): router-sync's route resolver gets the new answer;
 *   Caddy's config is loaded once at the start and never again;
 * - host map (swarm mode, ROUTE_RESOLVER_LISTEN=off): a config load per switch, as every release was before.
 * Prints failed requests and the switch time (the change → the first answer from the new version) of each.
 * What it leaves out: the worker's `running` → promote and router-sync's state read (Postgres, Docker),
 * which `npm run bench:release` includes.
 *
 *   node --conditions=@berth/source --import tsx bench/release-switch.ts   (RELEASES=10, INTERVAL_MS=1000)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpCaddyAdmin } from '@berth/router-sync/caddy-admin';
import { buildCaddyConfig, routedHosts, type RoutingState } from '@berth/router-sync/caddy-config';
import { RouteResolver } from '@berth/router-sync/route-resolver';
import { startCaddy } from '@berth/testing/caddy';
import { SteadyLoad, percentile } from '@berth/testing/load';
import { sized } from './bench-size.ts';

const releases = sized('RELEASES', 10, 2);
const intervalMs = sized('INTERVAL_MS', 1000, 300);

const caddy = await startCaddy();
const resolver = new RouteResolver('127.0.0.1:0', { warn: (...args: unknown[]) => console.warn(...args) } as never);
const resolverAddress = await resolver.start();
const servers: http.Server[] = [];
const apps: RoutingState['apps'][number][] = [];
for (let v = 0; v <= releases; v++) {
  const server = http.createServer((_req, res) => res.end(`v${v}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  apps.push({ deploymentId: `bench${String(v).padStart(7, '0')}`, project: 'shop', upstream: `127.0.0.1:${(server.address() as AddressInfo).port}` });
}
const state = (v: number): RoutingState => ({ apps, current: new Map([['shop', apps[v]!.deploymentId]]) });
const settings = (resolved: boolean) => ({
  adminListen: caddy.adminListen,
  httpListen: `127.0.0.1:${caddy.httpPort}`,
  baseDomain: 'localhost',
  apiUpstream: '127.0.0.1:9',
  httpsListen: `127.0.0.1:${caddy.httpsPort}`,
  tlsIssuer: { module: 'internal' as const },
  appUpstreams: { dialTimeoutMs: 1000, responseHeaderTimeoutMs: 60_000, failDurationMs: 5000 },
  ...(resolved ? { routeResolver: resolverAddress } : {}),
});
const admin = new HttpCaddyAdmin(caddy.adminUrl);

/** RELEASES switches of the project URL with `move` under the load; failed requests and switch times. */
async function run(label: string, move: (v: number) => Promise<void>): Promise<{ failed: number; p95: number }> {
  await move(0);
  const load = new SteadyLoad(`http://127.0.0.1:${caddy.httpPort}/`, 'shop.localhost', { concurrency: 4, resend: false });
  load.start();
  const switches: number[] = [];
  for (let v = 1; v <= releases; v++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const at = performance.now();
    await move(v);
    while (load.latest() !== `v${v}`) await new Promise((r) => setTimeout(r, 1));
    const first = load.samples.filter((s) => s.body === `v${v}` && s.end >= at).map((s) => s.end).sort((a, b) => a - b)[0]!;
    switches.push(first - at);
  }
  await new Promise((r) => setTimeout(r, intervalMs));
  const samples = await load.stop();
  const failed = samples.filter((s) => s.status !== 200);
  for (const s of failed.slice(0, 3)) console.log(`  failed: ${s.status} ${s.error ?? s.body.slice(0, 80)}`);
  const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`${label.padEnd(9)} requests ${samples.length}  failed ${failed.length} (never resent)  switch ms ${ms(switches)}  p50 ${percentile(switches, 50).toFixed(0)}  p95 ${percentile(switches, 95).toFixed(0)}`);
  return { failed: failed.length, p95: percentile(switches, 95) };
}

try {
  // Baseline first, in the same run: the host map, a config load per switch.
  const hostMap = await run('host map', (v) => admin.load(buildCaddyConfig(state(v), settings(false))));
  await admin.load(buildCaddyConfig(state(0), settings(true)));
  const resolved = await run('resolver', async (v) => resolver.setHosts(routedHosts(state(v), 'localhost')));
  console.log(`resolver: ${resolver.queries} queries answered; switch p95 target <= 250 ms, failed target 0`);
  console.log(`ratio resolver / host map: switch p95 ${(resolved.p95 / Math.max(hostMap.p95, 1)).toFixed(2)}, failed requests ${resolved.failed} vs ${hostMap.failed}`);
} finally {
  await caddy.stop();
  await resolver.stop();
  for (const s of servers) s.close();
}

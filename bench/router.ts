/**
 * router-sync at 1,000 and 10,000 running apps: a private Caddy, fake
 * upstreams (a few loopback HTTP servers), the real RouterSync reading an
 * in-memory RoutingState. Time from "container ready" (the Redis notification
 * the worker sends) to the first 200 through Caddy for the new app's host,
 * p50/p95 over 20 changes, Caddy loads per change and per burst of 10; the
 * baseline is a raw `/load` of the same config, timed in the same run.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { newDeploymentId } from '@berth/shared/ids';
import { routesChannel } from '@berth/shared/redis-keys';
import { HttpCaddyAdmin } from '../apps/router-sync/src/caddy-admin.ts';
import { buildCaddyConfig, type RoutingState, type RunningApp } from '../apps/router-sync/src/caddy-config.ts';
import type { RouterSyncConfig } from '../apps/router-sync/src/config.ts';
import { RouterSync } from '../apps/router-sync/src/router-sync.ts';
import { startCaddy } from '@berth/testing/caddy';
import { get, median, until } from './platform.ts';
import { sized, sizedList } from './bench-size.ts';

const sizes = sizedList('BENCH_ROUTES', [1000, 10_000], [50]);
const changes = sized('BENCH_CHANGES', 20, 2);
const baseDomain = 'bench.localhost';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const instance = `benchrouter${process.pid}`;
const logger = createLogger('bench', process.env.BENCH_LOG === 'info' ? 'info' : 'warn');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function upstreams(n: number): Promise<{ addresses: string[]; close: () => void }> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const s = http.createServer((_q, r) => r.end('ok'));
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      return s;
    }),
  );
  return {
    addresses: servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: () => servers.forEach((s) => s.close()),
  };
}

function stateWith(apps: RunningApp[]): RoutingState {
  return { apps, current: new Map(apps.map((a) => [a.project, a.deploymentId])) };
}

/**
 * The same config in the design before the host map: one host-matched route
 * with its own reverse proxy per app host (what router-sync loaded until the
 * map replaced it), for a raw /load of that in the same run.
 */
function perHostRoutes(config: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(config) as { apps: { http: { servers: { berth: { routes: Record<string, unknown>[] } } } } };
  const server = copy.apps.http.servers.berth;
  const routes: Record<string, unknown>[] = [];
  for (const route of server.routes) {
    const handler = (route.handle as { handler: string; mappings?: { input: string; outputs: string[] }[] }[])[0]!;
    if (handler.handler === 'map') {
      for (const m of handler.mappings!) {
        routes.push({ match: [{ host: [m.input] }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: m.outputs[0] }] }], terminal: true });
      }
    } else if (!(handler.handler === 'reverse_proxy' && route.match && JSON.stringify(route.match).includes('vars'))) {
      routes.push(route);
    }
  }
  server.routes = routes;
  return copy;
}

/** One /load, through the client router-sync uses (a fresh connection, once more on a reset). */
async function rawLoad(adminUrl: string, config: unknown): Promise<number> {
  const started = performance.now();
  await new HttpCaddyAdmin(adminUrl).load(config);
  return performance.now() - started;
}

/**
 * One measurement at `size` apps, in order: the raw-load baseline, single changes, a burst.
 * Over 60 lines: the steps share the Caddy, RouterSync and app list it starts, and read best top to bottom.
 */
async function run(size: number, ups: string[]): Promise<void> {
  const caddy = await startCaddy();
  const subscriber = createRedis(redisUrl);
  const publisher = createRedis(redisUrl);
  let n = 0;
  const app = (): RunningApp => {
    const i = n++;
    return { deploymentId: newDeploymentId(), project: `p${i}`, upstream: ups[i % ups.length]! };
  };
  let apps = Array.from({ length: size }, app);
  const settings = {
    adminListen: caddy.adminListen,
    httpListen: `127.0.0.1:${caddy.httpPort}`,
    baseDomain,
    apiUpstream: ups[0]!,
    httpsListen: `127.0.0.1:${caddy.httpsPort}`,
    tlsIssuer: { module: 'internal' } as const,
    appUpstreams: { dialTimeoutMs: 1000, responseHeaderTimeoutMs: 60_000, failDurationMs: 5000 },
  };
  const config = {
    BERTH_INSTANCE: instance,
    CADDY_HTTP_LISTEN: settings.httpListen,
    CADDY_HTTPS_LISTEN: settings.httpsListen,
    BASE_DOMAIN: baseDomain,
    API_UPSTREAM: settings.apiUpstream,
    TLS_ISSUER: 'internal',
    adminListen: caddy.adminListen,
    RESYNC_INTERVAL_MS: 60_000,
    DEBOUNCE_MS: 15,
    APP_DIAL_TIMEOUT_MS: settings.appUpstreams.dialTimeoutMs,
    APP_RESPONSE_HEADER_TIMEOUT_MS: settings.appUpstreams.responseHeaderTimeoutMs,
    APP_FAIL_DURATION_MS: settings.appUpstreams.failDurationMs,
  } as unknown as RouterSyncConfig;
  const sync = new RouterSync({
    config,
    docker: new Docker(),
    caddy: new HttpCaddyAdmin(caddy.adminUrl),
    subscriber,
    logger,
    readState: async () => stateWith(apps),
  });
  const caddyUrl = `http://127.0.0.1:${caddy.httpPort}`;
  try {
    await sync.start();
    // Baseline: the config of one more app, loaded raw, 5 times (each differs from
    // what Caddy runs: Caddy skips a /load of the config it already has).
    const raw: number[] = [];
    const rawPerHost: number[] = [];
    const rawSwarm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const state = stateWith([...apps, app()]);
      const config = buildCaddyConfig(state, settings);
      raw.push(await rawLoad(caddy.adminUrl, config));
      rawPerHost.push(await rawLoad(caddy.adminUrl, perHostRoutes(config)));
      // Swarm mode's config of the same apps: the map sets name and port, the proxy looks the name up.
      rawSwarm.push(await rawLoad(caddy.adminUrl, buildCaddyConfig(state, { ...settings, upstreams: 'dns' })));
    }
    const bytes = JSON.stringify(buildCaddyConfig(stateWith(apps), settings)).length;

    const ready: number[] = [];
    const loads0 = sync.loads;
    for (let i = 0; i < changes; i++) {
      const added = app();
      const started = performance.now();
      apps = [...apps, added];
      await publisher.publish(routesChannel(instance), added.deploymentId);
      await until(async () => (await get(caddyUrl, `${added.deploymentId}.${baseDomain}`)) === 200, 'new app routed', 30_000);
      ready.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
    const perChange = (sync.loads - loads0) / changes;

    // A burst: 10 apps ready within a few ms of each other.
    const loads1 = sync.loads;
    const burst = Array.from({ length: 10 }, app);
    const burstStart = performance.now();
    for (const b of burst) {
      apps = [...apps, b];
      await publisher.publish(routesChannel(instance), b.deploymentId);
    }
    for (const b of burst) await until(async () => (await get(caddyUrl, `${b.deploymentId}.${baseDomain}`)) === 200, 'burst routed', 30_000);
    const burstMs = performance.now() - burstStart;
    await new Promise((r) => setTimeout(r, 500));
    const perBurst = sync.loads - loads1;

    const rawMed = median(raw);
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
    console.log(
      `${String(size).padStart(6)} apps (${(bytes / 1024).toFixed(0)} KiB config)  raw /load ms median ${rawMed.toFixed(0)} (${fmt(raw)});  the same as one route per host (the design before): median ${median(rawPerHost).toFixed(0)} (${fmt(rawPerHost)}), ratio map / per-host ${(rawMed / median(rawPerHost)).toFixed(2)};  swarm (A lookup) config: median ${median(rawSwarm).toFixed(0)}, ratio swarm / docker ${(median(rawSwarm) / rawMed).toFixed(2)}`,
    );
    console.log(
      `        ready -> first 200 via Caddy ms  p50 ${pct(ready, 50).toFixed(0)}  p95 ${pct(ready, 95).toFixed(0)}  (ratio p95 / raw load ${(pct(ready, 95) / rawMed).toFixed(2)});  loads per change ${perChange.toFixed(2)};  burst of 10: ${perBurst} loads, all routed in ${burstMs.toFixed(0)} ms`,
    );
  } finally {
    await sync.stop();
    await publisher.quit();
    await caddy.stop();
  }
}

const ups = await upstreams(4);
try {
  for (const size of sizes) await run(size, ups.addresses);
} finally {
  ups.close();
}

/**
 * What Caddy's access log costs the proxy path (issue 30 item 2, goal: on / off ≥ 0.95): the same
 * Caddy config (router-sync's buildCaddyConfig, one app) with and without the access log writer,
 * requests per second through it (autocannon, in a worker thread) to one local upstream (a second
 * Caddy answering a static "ok"), rounds alternating off/on. With the log on, router-sync's real
 * AccessLogReceiver counts the lines in this process; every answered request must reach it.
 *
 * Also printed: CPU time per request of the proxy Caddy (its process) and of this process's main thread
 * (the receiver; autocannon runs in a worker thread), off and on: throughput on a shared machine moves
 * with everything else running, CPU per request much less.
 *
 *   npm run bench:access-log           # 5 rounds of 5 s per mode (ROUNDS=…, BENCH_SECONDS=…, BENCH_CONNECTIONS=…)
 *   ACCESS_LISTEN=unix///tmp/access.sock npm run bench:access-log   # the receiver on a unix socket, as in compose
 *   ACCESS_READ_PAUSE_MS=0 npm run bench:access-log   # the receiver reading each line as it comes (router-sync: 25 ms batches)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createLogger } from '@berth/shared/logger';
import { RouterMetrics } from '@berth/shared/metrics';
import { HttpCaddyAdmin } from '../apps/router-sync/src/caddy-admin.ts';
import { AccessLogReceiver } from '../apps/router-sync/src/access-log-receiver.ts';
import { buildCaddyConfig, routedHosts, type CaddySettings, type RoutingState } from '../apps/router-sync/src/caddy-config.ts';
import { startCaddy, type TestCaddy } from '@berth/testing/caddy';
import { freePort } from '@berth/testing/ports';
import { sized, smoke } from './bench-size.ts';
import { median, until } from './platform.ts';

interface Result {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<Result>;

const rounds = sized('ROUNDS', 5, 1);
const seconds = sized('BENCH_SECONDS', 5, 1);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const baseDomain = 'bench.localhost';
const logger = createLogger('bench', 'warn');

function post(caddy: TestCaddy, config: unknown): Promise<void> {
  return new HttpCaddyAdmin(caddy.adminUrl).load(config);
}

/** The upstream: a Caddy of its own answering "ok" (Go, so the app is not what limits the proxy). */
async function startUpstream(): Promise<{ caddy: TestCaddy; address: string }> {
  const caddy = await startCaddy();
  const address = `127.0.0.1:${await freePort()}`;
  await post(caddy, {
    admin: { listen: caddy.adminListen },
    apps: { http: { servers: { upstream: { listen: [address], routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }] } } } },
  });
  return { caddy, address };
}

/** CPU seconds so far of each Caddy this process started (Linux /proc: utime + stime of a child named caddy). */
function caddyCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.includes('(caddy)') && Number(f[1]) === process.pid) out.set(Number(pid), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const upstream = await startUpstream();
const upstreamPids = new Set(caddyCpu().keys());
const proxy = await startCaddy();
const proxyPid = [...caddyCpu().keys()].find((pid) => !upstreamPids.has(pid));
/** The proxy Caddy's CPU seconds so far (NaN when its process was not found). */
const proxyCpu = () => (proxyPid === undefined ? NaN : (caddyCpu().get(proxyPid) ?? NaN));
let counted = 0;
const receiver = new AccessLogReceiver({
  // As router-sync listens with Caddy on its host (ACCESS_LOG_LISTEN's default); ACCESS_LISTEN=unix//<path> for compose's socket.
  listen: process.env.ACCESS_LISTEN ?? '127.0.0.1:0',
  ...(process.env.ACCESS_READ_PAUSE_MS ? { readPauseMs: Number(process.env.ACCESS_READ_PAUSE_MS) } : {}),
  intervalMs: 500,
  write: async (rows) => void (counted += rows.reduce((n, r) => n + r.tally.requests, 0)),
  metrics: new RouterMetrics(),
  logger,
});
try {
  const accessLog = await receiver.start();
  const state: RoutingState = { apps: [{ deploymentId: 'benchaccesslog', project: 'bench', upstream: upstream.address }], current: new Map([['bench', 'benchaccesslog']]) };
  const hosts = routedHosts(state, baseDomain);
  receiver.setHosts(hosts);
  const settings: CaddySettings = {
    adminListen: proxy.adminListen,
    httpListen: `127.0.0.1:${proxy.httpPort}`,
    baseDomain,
    apiUpstream: upstream.address,
    httpsListen: `127.0.0.1:${proxy.httpsPort}`,
    tlsIssuer: { module: 'internal' },
    appUpstreams: { dialTimeoutMs: 1000, responseHeaderTimeoutMs: 60_000, failDurationMs: 5000 },
  };
  const configs = { off: buildCaddyConfig(state, settings), on: buildCaddyConfig(state, { ...settings, accessLog }) };
  const host = `bench.${baseDomain}`;
  if (!hosts.has(host)) throw new Error(`${host} is not routed: ${[...hosts.keys()].join(', ')}`);

  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
  // CPU per request: Caddy's (its process), and this process's main thread (the receiver: autocannon has a thread of its own).
  const caddyUs: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const receiverUs: Record<'off' | 'on', number[]> = { off: [], on: [] };
  let answeredOn = 0;
  for (let round = 0; round < rounds; round++) {
    // Alternating which goes first: a machine getting busier or quieter during a round weighs on both alike.
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      await post(proxy, configs[mode]);
      const url = `http://127.0.0.1:${proxy.httpPort}/`;
      if (!smoke) await autocannon({ url, headers: { host }, connections, duration: 0.5, workers: 1 }); // warm-up: connections, Go's scheduler
      const before = counted;
      const [cpu0, thread0] = [proxyCpu(), process.threadCpuUsage()];
      const r = await autocannon({ url, headers: { host }, connections, duration: seconds, workers: 1 });
      const thread = process.threadCpuUsage(thread0); // CPU time, not the event loop's busy wall time (which counts preemption)
      caddyUs[mode].push(((proxyCpu() - cpu0) * 1e6) / r.requests.total);
      receiverUs[mode].push((thread.user + thread.system) / r.requests.total);
      if (r.non2xx + r.errors + r.timeouts > 0) throw new Error(`${mode}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      rates[mode].push(r.requests.average);
      if (mode === 'on') {
        // Every answered request's line reaches the receiver (a few more: the warm-up's and requests cut at the end).
        await until(async () => (await receiver.flush(), counted - before >= r.requests.total), `${r.requests.total} access lines received`, 30_000);
        answeredOn += r.requests.total;
      }
      console.log(
        `round ${round + 1} access log ${mode.padEnd(3)} req/s ${r.requests.average.toFixed(0).padStart(7)}  CPU µs per request: caddy ${caddyUs[mode].at(-1)!.toFixed(1)}, receiver ${receiverUs[mode].at(-1)!.toFixed(1)}`,
      );
    }
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`access log off: req/s median ${median(rates.off).toFixed(0)} (${fmt(rates.off)}); on: median ${median(rates.on).toFixed(0)} (${fmt(rates.on)}); ${counted} lines received in ${receiver.reads} reads for ${answeredOn} requests answered with it on`);
  const us = (xs: Record<'off' | 'on', number[]>) => `${median(xs.off).toFixed(1)} off, ${median(xs.on).toFixed(1)} on`;
  console.log(`CPU µs per request (medians): caddy ${us(caddyUs)}; receiver (this process's main thread) ${us(receiverUs)}`);
  console.log(`ratio access log on / off (req/s, medians): ${(median(rates.on) / median(rates.off)).toFixed(2)}`);
} finally {
  await receiver.stop();
  await proxy.stop();
  await upstream.caddy.stop();
}

import type Docker from 'dockerode';
import { routesChannel } from '@berth/shared/redis-keys';
import { NewlineSplitter } from '@berth/shared/newline-splitter';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import type { CaddyAdmin } from './caddy-admin.ts';
import type { CaddyNetworks } from './caddy-networks.ts';
import { buildCaddyConfig, type CaddySettings, type RoutingState } from './caddy-config.ts';
import type { RouterSyncConfig } from './config.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

/** Stable JSON (sorted keys) so equal configs compare equal as strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Level-triggered reconciler. Docker events and Redis notifications only
 * schedule a run; each run reads the whole state, computes the whole config
 * and loads it only when it differs from what Caddy has. A timer runs it
 * anyway and then compares with Caddy's live config, so a restarted Caddy
 * gets its routes back.
 */
export class RouterSync {
  private timer: NodeJS.Timeout | undefined;
  private stopResync = () => {};
  private running: Promise<void> | undefined;
  private again = false;
  private verifyNext = true;
  private lastApplied: string | undefined;
  private lastState: RoutingState | undefined;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private events: NodeJS.ReadableStream | undefined;
  /** Number of loads done; useful to tests and logs. */
  loads = 0;

  constructor(
    private readonly deps: {
      config: RouterSyncConfig;
      docker: Docker;
      caddy: CaddyAdmin;
      subscriber: Redis;
      logger: Logger;
      readState: () => Promise<RoutingState>;
      /** Swarm: keeps Caddy's container on the networks of the apps it routes to (and off the others). */
      networks?: CaddyNetworks;
      /** Request metrics: where Caddy writes its access log, and who hears of each state read (which host is whose). */
      accessLog?: { address: string; onState: (state: RoutingState) => void };
      /** Docker mode: router-sync's resolver Caddy looks app hosts up in (its address), told each state read before any load. */
      resolver?: { address: string; onState: (state: RoutingState) => void };
    },
  ) {}

  async start(): Promise<void> {
    const { subscriber, config } = this.deps;
    subscriber.on('message', () => this.schedule());
    await subscriber.subscribe(routesChannel(config.BERTH_INSTANCE));
    void this.watchDocker();
    this.stopResync = everySharedTick(config.RESYNC_INTERVAL_MS, () => {
      this.verifyNext = true;
      this.schedule();
    });
    await this.runNow();
  }

  /** Debounced: many triggers within DEBOUNCE_MS make one run. */
  schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runNow();
    }, this.deps.config.DEBOUNCE_MS);
  }

  /** Runs a reconcile (or queues one more if one is in flight) and resolves when done. */
  async runNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.reconcile().catch((err: unknown) => {
          this.verifyNext = true;
          this.deps.logger.warn({ err }, 'reconcile failed; will retry');
        });
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async reconcile(): Promise<void> {
    const { caddy, logger, networks } = this.deps;
    const read = await this.deps.readState();
    // Caddy joins an app's network before any route to it is loaded, or that route would answer 502.
    const state = networks ? { ...read, apps: await networks.attach(read.apps) } : read;
    this.deps.accessLog?.onState(state);
    // Answers first: a config that names the resolver finds the hosts already there.
    this.deps.resolver?.onState(state);
    this.lastState = state;
    const desired = buildCaddyConfig(state, this.caddySettings());
    const desiredJson = canonicalJson(desired);
    let differs = desiredJson !== this.lastApplied;
    if (!differs && this.verifyNext) differs = canonicalJson(await caddy.current()) !== desiredJson;
    this.verifyNext = false;
    if (this.stopped) return;
    if (differs) {
      const started = performance.now();
      await caddy.load(desired);
      this.lastApplied = desiredJson;
      this.loads++;
      logger.info(
        { apps: state.apps.length, domains: state.domains?.size ?? 0, ms: Math.round(performance.now() - started) },
        'caddy config loaded',
      );
    }
    // Only once no loaded route points at them: the networks of apps no longer routed.
    await networks?.detachUnused(state.apps);
  }

  /** The settings of the config from router-sync's own. */
  private caddySettings(): CaddySettings {
    const { config } = this.deps;
    return {
      adminListen: config.adminListen,
      httpListen: config.CADDY_HTTP_LISTEN,
      baseDomain: config.BASE_DOMAIN,
      apiUpstream: config.API_UPSTREAM,
      httpsListen: config.CADDY_HTTPS_LISTEN,
      tlsIssuer: config.TLS_ISSUER === 'acme' ? { module: 'acme', email: config.ACME_EMAIL! } : { module: 'internal' },
      upstreams: config.BERTH_RUNTIME === 'swarm' ? 'dns' : 'static',
      appUpstreams: {
        dialTimeoutMs: config.APP_DIAL_TIMEOUT_MS,
        responseHeaderTimeoutMs: config.APP_RESPONSE_HEADER_TIMEOUT_MS,
        failDurationMs: config.APP_FAIL_DURATION_MS,
      },
      askListen: config.CADDY_ASK_LISTEN,
      accessLog: this.deps.accessLog?.address,
      routeResolver: this.deps.resolver?.address,
    };
  }

  /**
   * With a route resolver, Caddy's config names no app and the answers go
   * with this process: on the way out, Caddy gets the apps written into its
   * config (the host map, one load) so that they stay reachable while
   * router-sync is down. The next router-sync loads its resolver's config again.
   */
  private async handOver(): Promise<void> {
    if (!this.deps.resolver || !this.lastState || this.lastApplied === undefined) return;
    const config = buildCaddyConfig(this.lastState, { ...this.caddySettings(), routeResolver: undefined });
    await this.deps.caddy
      .load(config)
      .then(() => this.deps.logger.info({ apps: this.lastState?.apps.length }, 'routes handed over to caddy config'))
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'handing routes over to caddy config failed; app hosts 404 until router-sync is back'));
  }

  private async watchDocker(): Promise<void> {
    const { docker, config, logger } = this.deps;
    let since = Math.floor(Date.now() / 1000);
    while (!this.stopped) {
      try {
        const stream = (await docker.getEvents({
          since,
          filters: { type: ['container'], label: [`${labels.instance}=${config.BERTH_INSTANCE}`] },
        })) as NodeJS.ReadableStream;
        this.events = stream;
        // Docker's events are small JSON lines; one past 1 MiB is not one of them.
        const lines = new NewlineSplitter({ maxPending: 1024 * 1024, overflow: 'drop' });
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          for (const line of lines.push(chunk.toString('utf8'))) {
            try {
              const event = JSON.parse(line) as { time?: number };
              if (event.time) since = event.time;
            } catch {
              // partial or odd line: the periodic resync covers anything missed
            }
            this.schedule();
          }
        }
      } catch (err) {
        if (!this.stopped) logger.warn({ err }, 'docker event stream broke; reconnecting');
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Stops watching; touches Caddy's config on the way out only to hand the resolver's routes over (handOver). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopResync();
    (this.events as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    await this.running;
    await this.handOver();
    await this.deps.subscriber.quit().catch(() => this.deps.subscriber.disconnect());
  }
}

import type Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { RunningApp } from './caddy-config.ts';

/**
 * Swarm mode: every deployment runs on an overlay of its own (apps cannot
 * reach each other), so Caddy's container must be on the network of every app
 * it routes to, and on no other app's. router-sync keeps it so on every run,
 * level-triggered like the config: `attach` before a config is loaded (a route
 * to a service Caddy cannot reach would answer 502), `detachUnused` after (the
 * routes to the apps that left are gone by then).
 */
export class CaddyNetworks {
  /** When each app network Caddy is on was first seen with no routed app on it. */
  private readonly unusedSince = new Map<string, number>();

  constructor(
    private readonly docker: Docker,
    private readonly options: {
      container: string;
      instance: string;
      logger: Logger;
      /**
       * How long Caddy stays on a network after its last route went (NETWORK_DRAIN_MS): a request
       * forwarded just before is still answered. The worker removing the service takes Caddy off
       * sooner, once its tasks have stopped; this covers a network nobody removes.
       */
      drainMs?: number;
      now?: () => number;
    },
  ) {}

  /**
   * Connects Caddy to the networks of `apps` it is not on yet and returns the
   * apps it can reach now: one whose network could not be joined (removed
   * meanwhile with its service) is left out of this run's routes.
   */
  async attach(apps: readonly RunningApp[]): Promise<RunningApp[]> {
    const on = await this.current();
    const { connect } = networkChanges({ on, owned: new Set(), needed: neededNetworks(apps) });
    for (const network of connect) {
      try {
        await this.docker.getNetwork(network).connect({ Container: this.options.container });
        on.add(network);
      } catch (err) {
        const code = (err as { statusCode?: number }).statusCode;
        // Already on it (a connect that finished after a timeout): fine.
        if (code === 403 && /already exists/i.test((err as Error).message)) on.add(network);
        else if (networkGone(err)) this.options.logger.warn({ network }, 'an app network is gone; its app is not routed');
        else throw err;
      }
    }
    return apps.filter((a) => (a.networks ?? []).every((n) => on.has(n)));
  }

  /**
   * Disconnects Caddy from this installation's app networks that no app in `apps` (the routes just
   * loaded) has used for drainMs. Leaving one at once would strand the requests Caddy forwarded
   * there just before: their connections would neither answer nor close.
   */
  async detachUnused(apps: readonly RunningApp[]): Promise<void> {
    const [on, owned] = await Promise.all([this.current(), this.owned()]);
    const { disconnect: unused } = networkChanges({ on, owned, needed: neededNetworks(apps) });
    const now = (this.options.now ?? Date.now)();
    for (const network of [...this.unusedSince.keys()]) if (!unused.includes(network)) this.unusedSince.delete(network);
    const disconnect = unused.filter((network) => {
      const since = this.unusedSince.get(network) ?? now;
      this.unusedSince.set(network, since);
      return now - since >= (this.options.drainMs ?? 0);
    });
    for (const network of disconnect) {
      this.unusedSince.delete(network);
      try {
        await this.docker.getNetwork(network).disconnect({ Container: this.options.container, Force: true });
      } catch (err) {
        if (!networkGone(err) && (err as { statusCode?: number }).statusCode !== 403) throw err; // gone, or not on it any more: done
      }
    }
  }

  /** The ids of the networks Caddy's container is on. */
  private async current(): Promise<Set<string>> {
    const info = await this.docker.getContainer(this.options.container).inspect();
    return new Set(Object.values(info.NetworkSettings?.Networks ?? {}).map((n) => n.NetworkID));
  }

  /** The ids of this installation's app networks (each labelled with the instance and its deployment). */
  private async owned(): Promise<Set<string>> {
    const networks = await this.docker.listNetworks({ filters: { label: [`${labels.instance}=${this.options.instance}`, labels.deployment] } });
    return new Set(networks.map((n) => n.Id));
  }
}

/**
 * The network is gone (404), or going: Docker 20.10 answers 500 "network <id> not found" for a swarm
 * network the manager removed while this node still holds its copy. (A 404 about Caddy's container is not this.)
 */
function networkGone(err: unknown): boolean {
  const code = (err as { statusCode?: number }).statusCode;
  const message = err instanceof Error ? err.message : String(err);
  return (code === 404 && !/container/i.test(message)) || (code === 500 && /network \S+ not found/i.test(message));
}

/** The networks the routed apps run on (ids, as their service specs name them). */
export function neededNetworks(apps: readonly RunningApp[]): Set<string> {
  return new Set(apps.flatMap((a) => a.networks ?? []));
}

/**
 * What to change: join every needed network Caddy is not on; leave the app
 * networks (`owned`) it is on that no routed app needs. Networks that are not
 * this installation's app networks (the default bridge) are never touched.
 */
export function networkChanges(s: { on: ReadonlySet<string>; owned: ReadonlySet<string>; needed: ReadonlySet<string> }): {
  connect: string[];
  disconnect: string[];
} {
  return {
    connect: [...s.needed].filter((n) => !s.on.has(n)).sort(),
    disconnect: [...s.on].filter((n) => s.owned.has(n) && !s.needed.has(n)).sort(),
  };
}

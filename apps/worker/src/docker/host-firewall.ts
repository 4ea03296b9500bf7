import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BerthError } from '@berth/shared/errors';

const exec = promisify(execFile);

/** Runs `iptables` with these arguments; rejects when it exits non-zero. */
export type Iptables = (args: string[]) => Promise<void>;

const systemIptables: Iptables = async (args) => {
  await exec('iptables', ['-w', '5', ...args], { timeout: 10_000 });
};

/**
 * New connections that arrive at this host from a bridge's interface are
 * refused: a build's RUN step cannot reach the host's own services at its
 * network's gateway address (Redis, Postgres, Caddy's admin API, the API, a
 * metadata endpoint; whatever listens on all addresses). Traffic the host
 * routes on to the outside (a step fetching from the npm registry) is not
 * INPUT, so it still goes through, and replies to the host's own connections
 * are not NEW.
 */
export function hostRule(bridgeInterface: string): string[] {
  return ['INPUT', '-i', bridgeInterface, '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'REJECT'];
}

/**
 * Puts that rule in place once per bridge per process (checked with `-C`
 * first, so several workers on one host add it once). The rule lives in the
 * host's firewall, not in Docker's: a daemon restart keeps it, and a network
 * made again gets a new interface and so a rule of its own.
 */
export class HostFirewall {
  private readonly closed = new Set<string>();

  constructor(private readonly iptables: Iptables = systemIptables) {}

  async closeHostTo(bridgeInterface: string): Promise<void> {
    if (this.closed.has(bridgeInterface)) return;
    const rule = hostRule(bridgeInterface);
    try {
      await this.iptables(['-C', ...rule]).catch(() => this.iptables(['-I', ...rule]));
    } catch (err) {
      throw new BerthError(
        'DOCKER_UNAVAILABLE',
        `could not refuse connections from the build network (${bridgeInterface}) to this host with iptables (${(err as Error).message.split('\n')[0]}); ` +
          'run the worker as root on the Docker host, or set BUILD_HOST_FIREWALL=off to build without that protection',
        { cause: err },
      );
    }
    this.closed.add(bridgeInterface);
  }
}

import { randomBytes } from 'node:crypto';
import { labels } from '@berth/shared/labels';
import { waitFor } from '../helpers/ports.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { docker, startStack, type Stack } from '../helpers/stack.ts';

/**
 * The whole platform with BERTH_RUNTIME=swarm (no Caddy: these tests check
 * the worker's side), on an overlay and a registry of its own.
 */
export interface SwarmStack {
  stack: Stack;
  network: string;
  registry: string;
  /** Services of this stack's instance (one per live deployment). */
  services(): Promise<string[]>;
  /** Local images tagged for the registry by this stack. */
  registryImages(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startSwarmStack(options: { env?: Record<string, string>; registry?: TestRegistry } = {}): Promise<SwarmStack> {
  const registry = options.registry ?? (await startRegistry());
  const network = `berth-swp-${randomBytes(4).toString('hex')}`;
  const stack = await startStack({
    router: false,
    env: {
      BERTH_RUNTIME: 'swarm',
      BERTH_REGISTRY: registry.address,
      BERTH_NETWORK: network,
      // Swarm runs a task's health check first after 5 s (the spec's interval); a task is routable only then.
      HEALTHCHECK_TIMEOUT_MS: '20000',
      RUNTIME_LOG_DISCOVERY_MS: '300',
      ...options.env,
    },
  });
  const services = async () =>
    (await docker.listServices({ filters: { label: [`${labels.instance}=${stack.instance}`] } })).map((s) => s.Spec?.Name ?? '');
  const registryImages = async () =>
    (await docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${registry.address}/${stack.instance}/`));
  return {
    stack,
    network,
    registry: registry.address,
    services,
    registryImages,
    async close() {
      // Services first: removing their task containers alone would only make Swarm start new ones.
      for (const name of await services()) await docker.getService(name).remove().catch(() => {});
      await stack.close();
      const left = () => docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${stack.instance}`] } });
      await waitFor('the tasks to go', async () => (await left()).length === 0, 60_000, 250);
      await docker.getNetwork(network).remove().catch(() => {});
      for (const tag of await registryImages()) await docker.getImage(tag).remove({ force: true }).catch(() => {});
      if (!options.registry) await registry.stop();
    },
  };
}

/** The task containers of a deployment's service on this node. */
export async function taskContainers(service: string) {
  return docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${service}`] } });
}

import { labels } from '@berth/shared/labels';
import { docker, startStack, type Stack } from '@berth/testing/stack';

/**
 * The whole platform with BERTH_RUNTIME=swarm (by default without Caddy: these
 * tests check the worker's side), on an overlay and a registry of its own.
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

export async function startSwarmStack(options: { env?: Record<string, string>; router?: boolean } = {}): Promise<SwarmStack> {
  const stack = await startStack({
    runtime: 'swarm',
    router: options.router ?? false,
    // Shorter than the stacks' default so the HEALTHCHECK_TIMEOUT case ends sooner.
    env: { RUNTIME_LOG_DISCOVERY_MS: '300', HEALTHCHECK_TIMEOUT_MS: '30000', ...options.env },
  });
  const { network } = stack.swarm!;
  // The stack's own registry, or the one the caller named.
  const registry = stack.env.BERTH_REGISTRY!;
  const services = async () =>
    (await docker.listServices({ filters: { label: [`${labels.instance}=${stack.instance}`] } })).map((s) => s.Spec?.Name ?? '');
  const registryImages = async () =>
    (await docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${registry}/${stack.instance}/`));
  return {
    stack,
    network,
    registry,
    services,
    registryImages,
    async close() {
      await stack.close();
      for (const tag of await registryImages()) await docker.getImage(tag).remove({ force: true, noprune: true }).catch(() => {});
    },
  };
}

/** The task containers of a deployment's service on this node. */
export async function taskContainers(service: string) {
  return docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${service}`] } });
}

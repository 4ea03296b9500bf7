import path from 'node:path';
import Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import { startCaddyContainer, type TestCaddyContainer } from './caddy-container.ts';
import { waitFor } from './ports.ts';
import { startRegistry, type TestRegistry } from './registry.ts';

const docker = new Docker();

/** What a swarm test stack runs besides the programs. */
export interface SwarmParts {
  /**
   * BERTH_NETWORK (`berth-<instance>`): docker mode's shared app network. Swarm mode never makes it (each
   * service gets a network of its own); RunContainerOptions.network and discovery still take a name.
   */
  network: string;
  registry: TestRegistry;
  caddy: TestCaddyContainer | undefined;
  /** For every program: BERTH_RUNTIME, BERTH_REGISTRY, BERTH_NETWORK. */
  env: Record<string, string>;
  /** The API also on a unix socket in Caddy's shared directory. */
  apiEnv: Record<string, string>;
  /** router-sync: the container's listeners, the API through that socket. */
  routerEnv: Record<string, string>;
  /** Removes the instance's services (and waits for their tasks), the Caddy container, the app networks left, the registry and its pushed images. */
  close(): Promise<void>;
}

export async function startSwarmParts(instance: string, withCaddy: boolean): Promise<SwarmParts> {
  const network = `berth-${instance}`;
  const registry = await startRegistry();
  let caddy: TestCaddyContainer | undefined;
  const close = async () => {
    await removeInstanceServices(instance);
    await caddy?.stop();
    await removeInstanceNetworks(instance);
    await registry.stop();
    await removePushedImages(`${registry.address}/${instance}/`);
  };
  try {
    // On the default bridge only: router-sync connects it to the networks of the apps it routes to.
    if (withCaddy) caddy = await startCaddyContainer();
  } catch (err) {
    await close();
    throw err;
  }
  const apiSocket = caddy && path.join(caddy.socketDir, 'api.sock');
  return {
    network,
    registry,
    caddy,
    // The product's default health budget: it covers the push, Swarm placing and starting the task (20 s measured
    // on a loaded 2-core machine) and its first health check after the spec's 5 s interval (only then is it probed).
    env: { BERTH_RUNTIME: 'swarm', BERTH_REGISTRY: registry.address, BERTH_NETWORK: network, HEALTHCHECK_TIMEOUT_MS: '60000' },
    apiEnv: apiSocket ? { API_SOCKET_PATH: apiSocket } : {},
    routerEnv:
      caddy && apiSocket
        ? {
            CADDY_HTTP_LISTEN: caddy.httpListen,
            CADDY_HTTPS_LISTEN: caddy.httpsListen,
            API_UPSTREAM: `unix/${apiSocket}`,
            CADDY_CONTAINER: caddy.containerName,
          }
        : {},
    close,
  };
}

export async function removeInstanceServices(instance: string): Promise<void> {
  const filter = { label: [`${labels.instance}=${instance}`] };
  for (const s of await docker.listServices({ filters: filter })) await docker.getService(s.ID).remove().catch(() => {});
  await waitFor('the services\' tasks to go', async () => (await docker.listContainers({ all: true, filters: filter })).length === 0, 60_000, 250);
}

/** The instance's networks the programs left (a clean run leaves none: the worker removes each with its service). */
export async function instanceNetworks(instance: string): Promise<string[]> {
  return (await docker.listNetworks({ filters: { label: [`${labels.instance}=${instance}`] } })).map((n) => n.Name);
}

async function removeInstanceNetworks(instance: string): Promise<void> {
  for (const network of await instanceNetworks(instance)) {
    // An overlay whose last endpoints are still being torn down refuses removal for a moment.
    await waitFor(`network ${network} removed`, async () => {
      try {
        await docker.getNetwork(network).remove();
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) return false;
      }
      return true;
    }, 30_000, 250);
  }
}

async function removePushedImages(prefix: string): Promise<void> {
  const images = await docker.listImages();
  for (const tag of images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(prefix))) {
    await docker.getImage(tag).remove({ force: true, noprune: true }).catch(() => {});
  }
}

import type Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import type { OwnedContainer } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';
import { serviceNetworkName } from './swarm-service-spec.ts';
import { createServiceNetwork } from './swarm-service-start.ts';

/**
 * Swarm mode, for an app docker mode started (an installation moved over, issue 26): its
 * container joins an overlay of its own, `<container>-net`, labelled as a service's network
 * is, so the Caddy container (which reaches no app on docker mode's bridge: it refuses
 * traffic between its containers) reaches it by name as it reaches services, and the reaper
 * removes the network with the app. Idempotent.
 */
export async function joinOwnOverlay(docker: Docker, instance: string, app: OwnedContainer): Promise<void> {
  const network = serviceNetworkName(app.name);
  await createServiceNetwork(docker, network, { [labels.instance]: instance, [labels.deployment]: app.deploymentId });
  try {
    const info = await docker.getContainer(app.name).inspect();
    if (info.NetworkSettings?.Networks?.[network]) return;
    await docker.getNetwork(network).connect({ Container: app.name });
  } catch (err) {
    if (statusCode(err) === 404) return; // the container went meanwhile
    throw unavailable(err, `connecting ${app.name} to ${network}`);
  }
}

import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { ensureIsolatedBridge } from './bridge-network.ts';

/**
 * The network every build's RUN steps run on, instead of Docker's default
 * bridge (where inter-container traffic is on, so one build's step could
 * connect to another build's listening process, or to any container left on
 * that bridge). Inter-container traffic is off on it (bridge-network.ts), so
 * a step reaches neither another build's step nor anything else attached;
 * apps are on their own bridge, which Docker keeps apart from this one.
 * Egress to the outside goes through as before (masquerade).
 *
 * One for the whole daemon, not one per build or per installation: a bridge
 * takes a subnet from Docker's small default pool, and with traffic between
 * its members refused, sharing it gives nothing away.
 *
 * The host's own services listening on all addresses would be reachable at
 * the bridge's gateway address (Docker has no network option against that):
 * host-firewall.ts refuses new connections from the bridge to the host.
 */
export const buildNetworkName = 'berth-builds';

/**
 * Makes sure the build network exists with inter-container traffic off;
 * refuses to build otherwise. Returns the host's interface of its bridge.
 */
export async function ensureBuildNetwork(docker: Docker, name: string): Promise<string> {
  const state = await ensureIsolatedBridge(docker, name);
  if (!state.isolated) {
    throw new BerthError(
      'DOCKER_UNAVAILABLE',
      `the build network ${name} lets its containers reach each other (made without com.docker.network.bridge.enable_icc=false) and ${state.attached} container(s) still use it; remove it when they are gone`,
    );
  }
  if (!state.bridgeInterface) throw new BerthError('DOCKER_UNAVAILABLE', `the build network ${name} vanished while it was being made`);
  return state.bridgeInterface;
}

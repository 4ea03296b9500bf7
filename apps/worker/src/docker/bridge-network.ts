import type Docker from 'dockerode';
import type { NetworkState } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';

const iccOption = 'com.docker.network.bridge.enable_icc';

function isIsolated(info: Docker.NetworkInspectInfo): boolean {
  return info.Options?.[iccOption] === 'false';
}

/**
 * Docker mode's app network, shared by every app. It refuses
 * container-to-container traffic (`enable_icc` false: Docker adds a DROP rule
 * for traffic between two ports of the bridge), so one app cannot connect to
 * another app's container. The host (Caddy, the worker's health probe) still
 * reaches every app: its traffic comes from the bridge's own address, not
 * from another container.
 *
 * A network made by an older Berth lacks the option, and Docker cannot change
 * options of an existing network. When no container is attached it is
 * recreated (Docker refuses to remove a network with endpoints, so a
 * container attached meanwhile makes the removal fail, not vanish); with
 * containers attached it is left alone and reported, since recreating it
 * would cut running apps off from Caddy. (Narrow window: another worker that
 * checked the old network but has not attached its container yet loses the
 * network and fails that one deployment.)
 */
export async function ensureIsolatedBridge(docker: Docker, name: string): Promise<NetworkState> {
  let info = await inspectNetwork(docker, name);
  if (info && !isIsolated(info)) {
    const attached = Object.keys(info.Containers ?? {}).length;
    if (attached > 0) return { isolated: false, attached };
    try {
      await docker.getNetwork(name).remove();
    } catch (err) {
      const code = statusCode(err);
      if (code === 403 || code === 409) return { isolated: false, attached: 1 }; // just gained an endpoint
      if (code !== 404) throw unavailable(err, 'replacing the app network');
    }
    info = undefined;
  }
  if (!info) {
    try {
      await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Options: { [iccOption]: 'false' } });
    } catch (createErr) {
      if (statusCode(createErr) !== 409) throw unavailable(createErr, 'creating the app network');
    }
    // CheckDuplicate is best effort: two workers creating at once can both succeed.
    await removeDuplicateNetworks(docker, name);
    info = await inspectNetwork(docker, name);
  }
  return {
    isolated: !!info && isIsolated(info),
    attached: Object.keys(info?.Containers ?? {}).length,
    ...(info ? { bridgeInterface: bridgeInterface(info) } : {}),
  };
}

/** The host's interface of a bridge network: the name its options give, else Docker's `br-` and 12 digits of its id. */
function bridgeInterface(info: Docker.NetworkInspectInfo): string {
  return info.Options?.['com.docker.network.bridge.name'] ?? `br-${info.Id.slice(0, 12)}`;
}

/**
 * Two networks of one name (made at the same moment by two workers; Docker
 * allows it) make every use of the name fail as ambiguous. Every worker
 * keeps the same one, the oldest (ties: the smaller id), and removes the
 * others; one that already has a container attached is left (its removal
 * is refused) and goes on the next call.
 */
export async function removeDuplicateNetworks(docker: Docker, name: string): Promise<void> {
  let listed: Docker.NetworkInspectInfo[];
  try {
    listed = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  } catch (err) {
    throw unavailable(err, `listing the networks named ${name}`);
  }
  if (listed.length < 2) return;
  const [, ...extra] = listed.sort((a, b) => a.Created.localeCompare(b.Created) || a.Id.localeCompare(b.Id));
  for (const network of extra) {
    try {
      await docker.getNetwork(network.Id).remove();
    } catch (err) {
      if (![403, 404, 409].includes(statusCode(err) ?? 0)) throw unavailable(err, `removing a duplicate network ${name}`);
    }
  }
}

async function inspectNetwork(docker: Docker, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    if (statusCode(err) === 400 && /ambiguous/.test(String((err as Error).message))) {
      await removeDuplicateNetworks(docker, name);
      return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    }
    throw unavailable(err, 'inspecting the app network');
  }
}

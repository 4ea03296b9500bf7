import type { ImageReference } from '@berth/shared/image-reference';
import { addressesOf, isHostOnly, localRegistryProblem, ownAddresses, plain, registryHostOf } from './registry-host-policy.ts';

/**
 * Where a prebuilt image may come from (issue 27). Never from Berth's own registry (BERTH_REGISTRY:
 * in swarm mode it holds a copy of every tenant's app image), whatever its host is called: a
 * registry on the same port at an address that reaches it (its own addresses, this host's, loopback)
 * is refused. Registries on this host otherwise only with IMAGE_ALLOW_LOCAL_REGISTRIES (the same
 * rule as a build's FROM: registry-host-policy.ts). Docker Hub (no registry host) is always allowed.
 */
export interface PrebuiltRegistrySettings {
  BERTH_REGISTRY: string;
  IMAGE_ALLOW_LOCAL_REGISTRIES: boolean;
}

/** `host:port` → its port; no port: HTTPS's (a registry is spoken to over HTTPS unless on loopback). */
function portOf(hostPort: string): string {
  const match = /:(\d+)$/.exec(hostPort.replace(/^\[[^\]]*\]/, ''));
  return match ? String(Number(match[1])) : '443';
}

/** Why the reference's registry may not be pulled from, or undefined. */
export async function prebuiltRegistryProblem(image: ImageReference, settings: PrebuiltRegistrySettings): Promise<string | undefined> {
  if (image.registry === undefined) return undefined;
  const own = await ownRegistryProblem(image.registry, settings.BERTH_REGISTRY);
  if (own) return own;
  if (settings.IMAGE_ALLOW_LOCAL_REGISTRIES) return undefined;
  return localRegistryProblem(`${image.registry}/x`, settings.BERTH_REGISTRY);
}

async function ownRegistryProblem(registry: string, berthRegistry: string): Promise<string | undefined> {
  if (portOf(registry) !== portOf(berthRegistry)) return undefined;
  const refuse = `${registry} is Berth's own registry (BERTH_REGISTRY): it holds every app's image`;
  const host = registryHostOf(`${registry}/x`)!;
  const berthHost = registryHostOf(`${berthRegistry}/x`)!;
  if (host === berthHost || host === 'localhost' || host.endsWith('.localhost')) return refuse;
  const [addresses, berthAddresses] = await Promise.all([addressesOf(host), addressesOf(berthHost)]);
  if (addresses === 'timeout' || berthAddresses === 'timeout') return `the registry host ${host} did not resolve in time: refused rather than guessed at`;
  const reachesBerth = new Set([...ownAddresses(), ...berthAddresses.map(plain)]);
  return addresses.some((a) => isHostOnly(a) || reachesBerth.has(plain(a))) ? refuse : undefined;
}

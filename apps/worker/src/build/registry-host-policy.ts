import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import os from 'node:os';

/**
 * No build reads from a registry on this host, nor from Berth's own registry
 * (issue 24, door 3): in swarm mode that registry holds a copy of every app
 * image (`<registry>/<instance>/<id>:latest`), and the daemon pulls a FROM
 * image that is not local from the host's network, so `FROM
 * localhost:5000/main/<victim>` would read another app's files once the local
 * tag is gone. The registry is found by where its name leads, not how it is
 * spelt: `127.0.0.1:5000`, `localhost:5000`, `[::1]:5000`, `127.1:5000`,
 * `2130706433:5000` and the host's own addresses all reach the same
 * listener. A name that does not resolve is left to the daemon (it cannot
 * pull from it either); one that does not resolve in time is refused.
 */

/** The registry part of an image reference as Docker reads it: undefined for Docker Hub (`alpine`, `library/x`). */
export function registryHostOf(ref: string): string | undefined {
  const slash = ref.indexOf('/');
  if (slash === -1) return undefined;
  const first = ref.slice(0, slash);
  // distribution/reference: the first component is a registry when it has a dot or colon, is localhost, or has capitals.
  if (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first) return undefined;
  const bracketed = /^\[([^\]]*)\]/.exec(first);
  const host = bracketed ? bracketed[1]! : first.replace(/:[^:]*$/, '');
  return host.toLowerCase().replace(/\.$/, '');
}

const lookupTimeoutMs = 5000;

/** Addresses a host name leads to, as the daemon's resolver would find them (getaddrinfo reads `127.1` too). */
export async function addressesOf(host: string): Promise<string[] | 'timeout'> {
  if (isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), lookupTimeoutMs)));
  try {
    const found = lookup(host, { all: true, verbatim: true }).then(
      (list) => list.map((a) => a.address),
      () => [] as string[],
    );
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; other addresses lowercased. */
export function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

/** Loopback or "this host" (0.0.0.0, ::): addresses a listener on the host answers at. */
export function isHostOnly(address: string): boolean {
  const a = plain(address);
  return /^(127|0)\./.test(a) || a === '::1' || a === '::' || a === '0:0:0:0:0:0:0:1';
}

export function ownAddresses(): Set<string> {
  return new Set(Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => plain(i.address.replace(/%.*$/, '')))));
}

/**
 * Why `ref` may not be pulled (a registry on this host, or `registry`, the
 * swarm registry, under any name), or undefined when it may.
 */
export async function localRegistryProblem(ref: string, registry: string | undefined): Promise<string | undefined> {
  const host = registryHostOf(ref);
  if (host === undefined) return undefined;
  const refuse = `images from a registry on this host or from Berth's own registry (${host}) are not allowed: it holds copies of app images`;
  const ownRegistry = registry === undefined ? undefined : registryHostOf(`${registry}/x`);
  if (host === ownRegistry || host === 'localhost' || host.endsWith('.localhost')) return refuse;
  const addresses = await addressesOf(host);
  if (addresses === 'timeout') return `the registry host ${host} did not resolve within ${lookupTimeoutMs} ms: refused rather than guessed at`;
  const own = ownAddresses();
  const registryAddresses = ownRegistry === undefined ? [] : await addressesOf(ownRegistry);
  if (registryAddresses !== 'timeout') for (const a of registryAddresses) own.add(plain(a));
  return addresses.some((a) => isHostOnly(a) || own.has(plain(a))) ? refuse : undefined;
}

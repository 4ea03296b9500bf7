import { promises as dns } from 'node:dns';
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';
import { BerthError } from './errors.ts';

const allowedSchemes = new Set(['https:', 'http:', 'git:']);

/**
 * Only http(s) and git URLs with a host: no `file://`, no `ext::` remote
 * helpers, nothing git could read as an option. Checked by the API on input
 * and again by the worker before cloning.
 */
export function assertSafeGitUrl(raw: string): void {
  const invalid = (why: string) => new BerthError('INVALID_GIT_URL', `gitUrl ${why}`);
  if (raw.length > 2048) throw invalid('is too long');
  if (raw.startsWith('-')) throw invalid('must not start with "-"');
  if (raw.includes('::')) throw invalid('must not name a git remote helper ("::")');
  if (/[\s\0]/.test(raw)) throw invalid('must not contain whitespace');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('is not a URL; use https://, http:// or git://');
  }
  if (!allowedSchemes.has(url.protocol)) {
    throw invalid(`uses ${url.protocol.replace(/:$/, '')}://; only https://, http:// and git:// are allowed`);
  }
  if (!url.hostname) throw invalid('has no host');
  // Credentials in a URL end up stored, shown back by the API and printed by
  // git in its errors: refuse them rather than promise to hide them everywhere.
  if (url.username || url.password || /^[a-z]+:\/\/[^/]*@/i.test(raw)) {
    throw invalid('must not contain credentials (user:password@ or token@); Berth clones public repositories');
  }
}

/** A branch, tag or commit id; never something git could take as an option. */
export function assertSafeGitRef(ref: string): void {
  if (
    ref.length > 200 ||
    ref.startsWith('-') ||
    ref.includes('..') ||
    ref.endsWith('.lock') ||
    !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref)
  ) {
    throw new BerthError('VALIDATION_FAILED', `ref "${ref}" is not a valid branch, tag or commit id`);
  }
}

/**
 * Addresses a git URL may not point at: the host itself (loopback, unspecified),
 * the local networks around it (private, carrier-grade NAT, link-local, where
 * cloud metadata services answer) and multicast. A clone runs on the worker's
 * network, so without this a git URL is a way to send requests to Redis, the
 * API or Caddy's admin on the host's loopback, and to scan its ports.
 */
const localRanges = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
    ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) list.addSubnet(net, prefix, 'ipv4');
  // IPv6 spellings that carry an IPv4 address (NAT64, 6to4, IPv4-compatible) are refused whole:
  // on a network that translates them they reach the IPv4 address inside.
  for (const [net, prefix] of [
    ['::', 96], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2002::', 16],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
})();

/** True for an address on the host itself or a private, link-local or otherwise non-public network. */
export function isLocalAddress(address: string): boolean {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? (isIPv4(address) ? address : undefined);
  if (v4) return localRanges.check(v4, 'ipv4');
  return isIPv6(address) ? localRanges.check(address, 'ipv6') : true;
}

export interface ResolvedGitHost {
  hostname: string;
  port: number;
  /** The address the clone must use (resolved once, so a second lookup cannot answer differently). */
  address: string;
}

/**
 * Resolves the git URL's host and refuses local and private addresses unless
 * `allowPrivate` (an operator setting, for a git server on the same network).
 * A host that does not resolve fails as GIT_CLONE_FAILED.
 */
export async function resolveGitHost(
  raw: string,
  options: { allowPrivate: boolean; lookup?: (host: string) => Promise<{ address: string }[]> },
): Promise<ResolvedGitHost> {
  const url = new URL(raw);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : 9418);
  const lookup = options.lookup ?? ((host: string) => dns.lookup(host, { all: true, verbatim: true }));
  let addresses: { address: string }[];
  try {
    addresses = isIP(hostname) ? [{ address: hostname }] : await lookup(hostname);
  } catch (err) {
    throw new BerthError('GIT_CLONE_FAILED', `the git host ${hostname} does not resolve`, { cause: err });
  }
  if (addresses.length === 0) throw new BerthError('GIT_CLONE_FAILED', `the git host ${hostname} does not resolve`);
  const local = addresses.find((a) => isLocalAddress(a.address));
  if (local && !options.allowPrivate) {
    throw new BerthError(
      'INVALID_GIT_URL',
      `gitUrl points at a local or private address (${hostname} is ${local.address}); Berth clones from public hosts (operators can allow private ones with GIT_ALLOW_PRIVATE_HOSTS)`,
    );
  }
  return { hostname, port, address: addresses[0]!.address };
}

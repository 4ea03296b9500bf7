import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { BerthError } from './errors.ts';
import { isLocalAddress } from './git-url.ts';

export interface ResolvedTarget {
  url: URL;
  /** The checked address a delivery connects to (pinned: a second lookup could answer otherwise). */
  address: string;
  family: 4 | 6;
}

/** A webhook URL as given: http(s), a host, no credentials. */
export function assertWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BerthError('VALIDATION_FAILED', 'url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BerthError('VALIDATION_FAILED', 'url must be http:// or https://');
  if (url.username || url.password) throw new BerthError('VALIDATION_FAILED', 'url must not carry credentials; Berth signs each delivery instead');
  if (raw.length > 2000) throw new BerthError('VALIDATION_FAILED', 'url is longer than 2000 characters');
  return url;
}

export type HostLookup = (host: string) => Promise<{ address: string; family: number }[]>;

/**
 * Resolves a webhook's host and refuses loopback, private, link-local and
 * metadata addresses unless `allowPrivate` (an operator setting): a delivery
 * must not be a way into the host's or the network's services (SSRF).
 */
export async function resolveWebhookTarget(raw: string, options: { allowPrivate: boolean; lookup?: HostLookup }): Promise<ResolvedTarget> {
  const url = assertWebhookUrl(raw);
  return { url, ...(await resolvePublicHost(url.hostname, { ...options, what: 'webhook' })) };
}

/**
 * The SSRF check of every outgoing target (webhooks, log drains): `hostname`
 * resolved, refused when any address is local or private unless `allowPrivate`
 * (WEBHOOK_ALLOW_PRIVATE_HOSTS), and the address to connect to (pinned).
 */
export async function resolvePublicHost(
  rawHostname: string,
  options: { allowPrivate: boolean; lookup?: HostLookup | undefined; what: string },
): Promise<Omit<ResolvedTarget, 'url'>> {
  const hostname = rawHostname.replace(/^\[|\]$/g, '');
  const lookup = options.lookup ?? ((host: string) => dns.lookup(host, { all: true, verbatim: true }));
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) }] : await lookup(hostname);
  } catch (err) {
    throw new BerthError('VALIDATION_FAILED', `the ${options.what} host ${hostname} does not resolve`, { cause: err });
  }
  if (addresses.length === 0) throw new BerthError('VALIDATION_FAILED', `the ${options.what} host ${hostname} does not resolve`);
  const local = addresses.find((a) => isLocalAddress(a.address));
  if (local && !options.allowPrivate) {
    throw new BerthError(
      'VALIDATION_FAILED',
      `the ${options.what} url points at a local or private address (${hostname} is ${local.address}); operators can allow those with WEBHOOK_ALLOW_PRIVATE_HOSTS`,
    );
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

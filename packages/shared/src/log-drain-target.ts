import { BerthError } from './errors.ts';
import { env } from './config.ts';
import { resolvePublicHost, type HostLookup } from './webhook-target.ts';

/** Where a log drain sends: syslog over TCP (TLS optional) or HTTPS (NDJSON batches). */
export type DrainKind = 'syslog' | 'https';

export interface DrainTarget {
  kind: DrainKind;
  /** Syslog over TLS, or an https:// URL. */
  tls: boolean;
  url: URL;
  hostname: string;
  port: number;
}

export interface ResolvedDrainTarget extends DrainTarget {
  /** The checked address a delivery connects to (pinned, as webhooks' are). */
  address: string;
  family: 4 | 6;
}

/** The settings the API (checking a new drain) and the worker (before each delivery) share. */
export const logDrainUrlEnv = {
  LOG_DRAIN_ALLOW_HTTP: env
    .flag(false)
    .describe('Allow plain http:// log drain URLs (lines and their signature readable on the way); off: https://, syslog+tcp:// or syslog+tls:// only'),
};

const schemes: Record<string, { kind: DrainKind; tls: boolean; defaultPort?: number }> = {
  'syslog+tcp:': { kind: 'syslog', tls: false },
  'syslog+tls:': { kind: 'syslog', tls: true },
  'https:': { kind: 'https', tls: true, defaultPort: 443 },
  'http:': { kind: 'https', tls: false, defaultPort: 80 },
};

/** A drain URL as given: a known scheme, a host, a port for syslog, no credentials. */
export function parseDrainUrl(raw: string, options: { allowHttp: boolean }): DrainTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BerthError('VALIDATION_FAILED', 'url is not a URL');
  }
  const scheme = schemes[url.protocol];
  if (!scheme) throw new BerthError('VALIDATION_FAILED', 'url must be syslog+tcp://host:port, syslog+tls://host:port or https://…');
  if (url.protocol === 'http:' && !options.allowHttp) {
    throw new BerthError('VALIDATION_FAILED', 'url must be https:// (operators can allow plain http:// with LOG_DRAIN_ALLOW_HTTP)');
  }
  if (url.username || url.password) throw new BerthError('VALIDATION_FAILED', 'url must not carry credentials; Berth signs each HTTPS batch instead');
  if (raw.length > 2000) throw new BerthError('VALIDATION_FAILED', 'url is longer than 2000 characters');
  if (!url.hostname) throw new BerthError('VALIDATION_FAILED', 'url has no host');
  if (scheme.kind === 'syslog' && (url.pathname.replace(/^\/$/, '') !== '' || url.search || url.hash)) {
    throw new BerthError('VALIDATION_FAILED', 'a syslog url is only syslog+tcp://host:port (no path, query or fragment)');
  }
  const port = url.port ? Number(url.port) : scheme.defaultPort;
  if (port === undefined) throw new BerthError('VALIDATION_FAILED', 'a syslog url needs its port (syslog+tcp://host:514)');
  return { kind: scheme.kind, tls: scheme.tls, url, hostname: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** Parsed, then its host resolved and refused when local or private (the webhooks' SSRF check, the same setting). */
export async function resolveDrainTarget(
  raw: string,
  options: { allowHttp: boolean; allowPrivate: boolean; lookup?: HostLookup },
): Promise<ResolvedDrainTarget> {
  const target = parseDrainUrl(raw, options);
  return { ...target, ...(await resolvePublicHost(target.hostname, { allowPrivate: options.allowPrivate, lookup: options.lookup, what: 'log drain' })) };
}

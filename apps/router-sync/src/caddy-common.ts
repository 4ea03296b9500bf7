/**
 * What the whole Caddy config (caddy-config.ts) and its custom-domain servers
 * (caddy-domains.ts) both build on: the settings, the shape of a route, and
 * the 404 route every server ends with. A module of its own so that neither
 * of the two imports the other back (no import cycle).
 */
import type { UpstreamMode, UpstreamTimeouts } from './caddy-proxy.ts';

/** Who signs custom domains' certificates: Caddy's local CA, or an ACME CA (Let's Encrypt by default). */
export type TlsIssuer = { module: 'internal' } | { module: 'acme'; email: string };

export interface CaddySettings {
  adminListen: string;
  httpListen: string;
  baseDomain: string;
  apiUpstream: string;
  /** Where custom domains are served over HTTPS; only listened on while there are some. */
  httpsListen: string;
  tlsIssuer: TlsIssuer;
  /** static: dial each app's `host:port`; dns: look the service name up and spread over its tasks (swarm). Default static. */
  upstreams?: UpstreamMode;
  /** What bounds a request to an app: dial and response-header timeouts, and (swarm) passive health. */
  appUpstreams: UpstreamTimeouts;
  /** Where Caddy listens on its own loopback for `ask` when apiUpstream is a unix socket (default 127.0.0.1:2021). */
  askListen?: string;
  /** Docker mode: router-sync's resolver (Caddy's spelling, `udp/127.0.0.1:port`) that app hosts are looked up in, instead of a host map in the config (caddy-resolved.ts). */
  routeResolver?: string;
  /** Where Caddy writes app hosts' access lines (router-sync's receiver, Caddy's spelling: host:port or unix//path); none: no access log. */
  accessLog?: string;
}

export type Route = Record<string, unknown>;

/**
 * With an access log on: the handler that keeps Berth's own answers (the 404
 * page, the HTTPS redirect) out of it. They are not the app's requests, and a
 * request that reaches the 404 page while a new app's route is being loaded
 * would otherwise count as that app's 404.
 */
export function skipLog(settings: Pick<CaddySettings, 'accessLog'>): Route[] {
  return settings.accessLog ? [{ handler: 'vars', skip_log: true }] : [];
}

/** The last route of every server: a plain-text 404 for an address no deployment answers. */
export function notFound(settings: Pick<CaddySettings, 'accessLog'>): Route {
  return {
    handle: [
      ...skipLog(settings),
      {
        handler: 'static_response',
        status_code: 404,
        headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
        body: 'Berth: no deployment answers at this address.\n',
      },
    ],
  };
}

/**
 * App hosts looked up rather than written down (docker mode, ROUTE_RESOLVER_LISTEN):
 * one catch-all reverse proxy whose upstreams Caddy asks router-sync's
 * resolver for (dns/route-resolver.ts): an SRV lookup of
 * `<request host>.up.berth.` gives the app's deployment name and port, and
 * the proxy's dial resolves that name through the same resolver. The config
 * then names no app at all: a release, a new app or a removed one changes
 * router-sync's answers, not Caddy's config, and no config load closes client
 * connections (Caddy 2.6 closes kept-alive ones at every load).
 *
 * Caddy keeps each answer for `refresh` (100 ms): the longest a switch takes
 * to reach requests after router-sync's maps changed. A name with no answer
 * makes the proxy fail with 503 "no upstreams available" (Caddy never asks
 * another server: the resolver is the only one it is given); the server's
 * error route turns that into Berth's 404 page. An app that is routed but
 * does not answer stays a 502, as with a static upstream.
 */
import { notFound, type CaddySettings, type Route } from './caddy-common.ts';
import { hostSuffix } from './dns/route-resolver.ts';
import { appTransport } from './caddy-proxy.ts';

/** How long Caddy keeps router-sync's answer for a host: a switch reaches requests within it. */
export const resolverRefreshMs = 100;

/** The reverse proxy for every app host, asking `settings.routeResolver` where each request's host goes. */
export function resolvedProxyHandler(settings: Pick<CaddySettings, 'routeResolver' | 'appUpstreams'>): Record<string, unknown> {
  const resolver = { addresses: [settings.routeResolver] };
  const transport = appTransport(settings.appUpstreams);
  return {
    handler: 'reverse_proxy',
    // The final dot: a complete name, never tried with the host's search domains.
    dynamic_upstreams: { source: 'srv', name: `{http.request.host}.${hostSuffix}.`, refresh: `${resolverRefreshMs}ms`, resolver },
    transport: { ...transport, resolver },
  };
}

/** The app route of the HTTP server: every host not matched before it (the API's, the custom-domain redirect). */
export function resolvedAppRoute(settings: Pick<CaddySettings, 'routeResolver' | 'appUpstreams'>): Route {
  return { handle: [resolvedProxyHandler(settings)], terminal: true };
}

/** A server's error routes: a host router-sync does not know (503, no upstreams) gets the 404 page. */
export function unknownHostErrors(settings: Pick<CaddySettings, 'accessLog'>): Record<string, unknown> {
  return { errors: { routes: [{ match: [{ vars: { '{http.error.status_code}': ['503'] } }], ...notFound(settings) }] } };
}

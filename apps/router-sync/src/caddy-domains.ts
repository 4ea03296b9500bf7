/**
 * Custom domains in the Caddy config: the HTTP → HTTPS redirect, the HTTPS
 * server, on-demand certificates, and (when the API is on a unix socket) the
 * loopback listener Caddy's `ask` goes through.
 */
import { notFound, skipLog, type CaddySettings, type Route } from './caddy-common.ts';
import { proxyHandler } from './caddy-proxy.ts';
import { resolvedProxyHandler } from './caddy-resolved.ts';

/** Custom domains on plain HTTP go to HTTPS, same path and query (308 keeps the method and body). */
export function httpsRedirect(hostnames: string[], settings: Pick<CaddySettings, 'httpsListen' | 'accessLog'>): Route {
  const port = /:(\d+)$/.exec(settings.httpsListen)?.[1];
  const suffix = port === undefined || port === '443' ? '' : `:${port}`;
  return {
    match: [{ host: hostnames }],
    handle: [
      ...skipLog(settings),
      {
        handler: 'static_response',
        status_code: 308,
        headers: { Location: [`https://{http.request.host}${suffix}{http.request.uri}`] },
      },
    ],
    terminal: true,
  };
}

/**
 * The HTTPS server for custom domains: each hostname to its project's current
 * deployment (a project with none yet answers the 404 page). TLS only for the
 * registered hostnames (SNI): any other name gets no certificate and the
 * handshake fails. Caddy's automatic HTTPS stays off here too: it would open
 * a redirect server of its own on :80 and get certificates at load time; the
 * redirect is the HTTP server's route above and certificates come on demand.
 */
export function customDomainServer(
  domains: [string, string][],
  upstreams: ReadonlyMap<string, string>,
  settings: CaddySettings,
): Record<string, unknown> {
  const byProject = new Map<string, string[]>();
  for (const [hostname, project] of domains) byProject.set(project, [...(byProject.get(project) ?? []), hostname]);
  const routes: Route[] = [];
  if (settings.routeResolver) {
    // Looked up like the app hosts (router-sync answers each hostname with its project's current deployment).
    routes.push({ match: [{ host: domains.map(([hostname]) => hostname) }], handle: [resolvedProxyHandler(settings)], terminal: true });
  }
  for (const [project, hostnames] of settings.routeResolver ? [] : [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
    const upstream = upstreams.get(project);
    if (upstream) {
      routes.push({ match: [{ host: hostnames }], handle: [proxyHandler({ dial: upstream }, settings.upstreams ?? 'static', settings.appUpstreams)], terminal: true });
    }
  }
  routes.push(notFound(settings));
  return {
    listen: [settings.httpsListen],
    automatic_https: { disable: true },
    tls_connection_policies: [{ match: { sni: domains.map(([hostname]) => hostname) } }],
    routes,
  };
}

/** Caddy's spelling of a unix socket address (`unix//path`), which `ask` (a URL) cannot name. */
export function isUnixAddress(address: string): boolean {
  return address.startsWith('unix/');
}

/**
 * Certificates for the custom domains, obtained on demand at the first
 * handshake for a name, and only after the API confirms the name is still
 * registered (Caddy 2.6's `on_demand.ask`: any answer but 2xx refuses).
 */
export function customDomainCertificates(hostnames: string[], settings: CaddySettings): Record<string, unknown> {
  const issuer =
    settings.tlsIssuer.module === 'acme' ? { module: 'acme', email: settings.tlsIssuer.email } : { module: 'internal' };
  const askAt = isUnixAddress(settings.apiUpstream) ? askListen(settings) : settings.apiUpstream;
  const apps: Record<string, unknown> = {
    tls: {
      automation: {
        on_demand: { ask: `http://${askAt}/api/tls/allowed` },
        policies: [{ subjects: hostnames, issuers: [issuer], on_demand: true }],
      },
    },
  };
  // Caddy would otherwise try to install its local root into this host's trust stores
  // (as root, on a server). Clients that should trust it fetch it: admin API /pki/ca/local.
  if (settings.tlsIssuer.module === 'internal') {
    apps.pki = { certificate_authorities: { local: { install_trust: false } } };
  }
  return apps;
}

function askListen(settings: CaddySettings): string {
  return settings.askListen ?? '127.0.0.1:2021';
}

/**
 * When the API is on a unix socket, `ask` goes to a listener of Caddy's own on
 * loopback (inside the Caddy container, its own network namespace: nothing
 * else reaches it) that passes on that one path and answers 404 to any other.
 */
export function askServer(settings: CaddySettings): Record<string, unknown> {
  return {
    listen: [askListen(settings)],
    automatic_https: { disable: true },
    routes: [
      { match: [{ path: ['/api/tls/allowed'], method: ['GET'] }], handle: [proxyHandler({ dial: settings.apiUpstream }, 'static')], terminal: true },
      notFound({}), // no access log on this server
    ],
  };
}

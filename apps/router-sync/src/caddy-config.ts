/**
 * The whole Caddy configuration as a pure function of routing state: the
 * running Berth containers, which deployment each project points at, and the
 * projects' custom domains. Deterministic output (sorted), so "did anything
 * change" is a string compare.
 */
export interface RunningApp {
  deploymentId: string;
  project: string;
  /** host:port Caddy dials. */
  upstream: string;
}

export interface RoutingState {
  apps: readonly RunningApp[];
  /** project name → deployment id its stable URL points at. */
  current: ReadonlyMap<string, string>;
  /** Custom hostname → project, served over HTTPS by the project's current deployment (none when absent). */
  domains?: ReadonlyMap<string, string>;
  /** Branch preview label (`<branch>--<project>`) → the branch's newest running preview. */
  previews?: ReadonlyMap<string, string>;
}

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
}

type Route = Record<string, unknown>;

function proxyRoute(hosts: string[], upstream: string, extra: Record<string, unknown> = {}): Route {
  return {
    match: [{ host: hosts }],
    handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: upstream }], ...extra }],
    terminal: true,
  };
}

export function buildCaddyConfig(state: RoutingState, settings: CaddySettings): Record<string, unknown> {
  const apps = [...state.apps].sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
  const byId = new Map(apps.map((a) => [a.deploymentId, a]));
  const routes: Route[] = [];

  // The API and its SSE streams own the whole base-domain host: every path
  // spelling reaches the API, whose auth decides on the route it matched
  // (a path filter here would be a second, weaker opinion). No `encode`
  // handler anywhere (gzip holds events back), and no `flush_interval: -1`:
  // Caddy already flushes text/event-stream at once, and in 2.6 that setting
  // makes every config reload cut open streams.
  routes.push({
    match: [{ host: [settings.baseDomain] }],
    handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: settings.apiUpstream }] }],
    terminal: true,
  });
  routes.push(...hostMapRoutes(appHosts(state, apps, byId, settings.baseDomain)));
  const domains = [...(state.domains ?? [])].sort(([a], [b]) => a.localeCompare(b));
  if (domains.length > 0) routes.push(httpsRedirect(domains.map(([hostname]) => hostname), settings.httpsListen));
  routes.push(notFound());

  const servers: Record<string, unknown> = {
    berth: {
      listen: [settings.httpListen],
      automatic_https: { disable: true },
      routes,
    },
  };
  const caddyApps: Record<string, unknown> = { http: { servers } };
  if (domains.length > 0) {
    const upstreams = new Map<string, string>();
    for (const [project, deploymentId] of state.current) {
      const app = byId.get(deploymentId);
      if (app) upstreams.set(project, app.upstream);
    }
    servers['berth-https'] = customDomainServer(domains, upstreams, settings);
    Object.assign(caddyApps, customDomainCertificates(domains.map(([hostname]) => hostname), settings));
  }
  return { admin: { listen: settings.adminListen }, apps: caddyApps };
}

/**
 * Every app host (`<deployment>.`, `<project>.`, `<branch>--<project>.` under
 * the base domain) → the upstream it reaches; the first claim of a host wins,
 * in that order (a project named like a running deployment id keeps the
 * deployment's address).
 */
function appHosts(
  state: RoutingState,
  apps: readonly RunningApp[],
  byId: ReadonlyMap<string, RunningApp>,
  baseDomain: string,
): Map<string, RunningApp> {
  const hosts = new Map<string, RunningApp>();
  const claim = (label: string, app: RunningApp | undefined) => {
    const host = `${label}.${baseDomain}`.toLowerCase();
    if (app && !hosts.has(host)) hosts.set(host, app);
  };
  for (const app of apps) claim(app.deploymentId, app);
  for (const [project, deploymentId] of state.current) if (!byId.has(project)) claim(project, byId.get(deploymentId));
  for (const [label, deploymentId] of state.previews ?? []) claim(label, byId.get(deploymentId));
  return hosts;
}

/** The placeholder the host map sets: the upstream the request's host reaches, or "" for none. */
const upstreamPlaceholder = '{berth.upstream}';

/**
 * App hosts as one lookup instead of one route per host: a `map` handler from
 * the request's host to its upstream, then one reverse proxy that dials the
 * looked-up address. Caddy provisions a map entry far cheaper than a route
 * with its own proxy, so a change at 10,000 apps loads in a fraction of the
 * time (BENCHMARKS.md, bench:router). Hosts are matched exactly, as written
 * here (lowercase); a request whose Host is spelled in capitals gets the 404
 * page (browsers always send it lowercase).
 */
function hostMapRoutes(hosts: ReadonlyMap<string, RunningApp>): Route[] {
  if (hosts.size === 0) return [];
  const mappings = [...hosts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([input, app]) => ({ input, outputs: [app.upstream] }));
  return [
    {
      handle: [
        { handler: 'map', source: '{http.request.host}', destinations: [upstreamPlaceholder], mappings, defaults: [''] },
      ],
    },
    {
      match: [{ not: [{ vars: { [upstreamPlaceholder]: [''] } }] }],
      handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: upstreamPlaceholder }] }],
      terminal: true,
    },
  ];
}

function notFound(): Route {
  return {
    handle: [
      {
        handler: 'static_response',
        status_code: 404,
        headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
        body: 'Berth: no deployment answers at this address.\n',
      },
    ],
  };
}

/** Custom domains on plain HTTP go to HTTPS, same path and query (308 keeps the method and body). */
function httpsRedirect(hostnames: string[], httpsListen: string): Route {
  const port = /:(\d+)$/.exec(httpsListen)?.[1];
  const suffix = port === undefined || port === '443' ? '' : `:${port}`;
  return {
    match: [{ host: hostnames }],
    handle: [
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
function customDomainServer(
  domains: [string, string][],
  upstreams: ReadonlyMap<string, string>,
  settings: CaddySettings,
): Record<string, unknown> {
  const byProject = new Map<string, string[]>();
  for (const [hostname, project] of domains) byProject.set(project, [...(byProject.get(project) ?? []), hostname]);
  const routes: Route[] = [];
  for (const [project, hostnames] of [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
    const upstream = upstreams.get(project);
    if (upstream) routes.push(proxyRoute(hostnames, upstream));
  }
  routes.push(notFound());
  return {
    listen: [settings.httpsListen],
    automatic_https: { disable: true },
    tls_connection_policies: [{ match: { sni: domains.map(([hostname]) => hostname) } }],
    routes,
  };
}

/**
 * Certificates for the custom domains, obtained on demand at the first
 * handshake for a name, and only after the API confirms the name is still
 * registered (Caddy 2.6's `on_demand.ask`: any answer but 2xx refuses).
 */
function customDomainCertificates(hostnames: string[], settings: CaddySettings): Record<string, unknown> {
  const issuer =
    settings.tlsIssuer.module === 'acme' ? { module: 'acme', email: settings.tlsIssuer.email } : { module: 'internal' };
  const apps: Record<string, unknown> = {
    tls: {
      automation: {
        on_demand: { ask: `http://${settings.apiUpstream}/api/tls/allowed` },
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

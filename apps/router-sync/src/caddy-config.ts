/**
 * The whole Caddy configuration as a pure function of routing state: the
 * running Berth containers, which deployment each project points at, and the
 * projects' custom domains. Deterministic output (sorted), so "did anything
 * change" is a string compare. With a route resolver (docker mode) the apps
 * are not in it at all, only the custom domains' names: Caddy looks each
 * request's host up in router-sync (caddy-resolved.ts).
 */
import { proxyHandler, splitHostPort, type UpstreamMode, type UpstreamTimeouts } from './caddy-proxy.ts';
import { askServer, customDomainCertificates, customDomainServer, httpsRedirect, isUnixAddress } from './caddy-domains.ts';
import { notFound, type CaddySettings, type Route } from './caddy-common.ts';
import { accessLogging, serverAccessLogs } from './caddy-access-log.ts';
import { resolvedAppRoute, unknownHostErrors } from './caddy-resolved.ts';

export type { CaddySettings, Route, TlsIssuer } from './caddy-common.ts';

export interface RunningApp {
  deploymentId: string;
  project: string;
  /** host:port Caddy dials. */
  upstream: string;
  /** Swarm: the networks (ids) Caddy must be on to reach it (its service's own); not part of the config. */
  networks?: readonly string[];
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
  routes.push({ match: [{ host: [settings.baseDomain] }], handle: [proxyHandler({ dial: settings.apiUpstream }, 'static')], terminal: true });
  const domains = [...(state.domains ?? [])].sort(([a], [b]) => a.localeCompare(b));
  const redirect = domains.length > 0 ? [httpsRedirect(domains.map(([hostname]) => hostname), settings)] : [];
  // Looked up: the catch-all proxy comes last (after the redirect, which it would otherwise take).
  if (settings.routeResolver) routes.push(...redirect, resolvedAppRoute(settings));
  else {
    routes.push(...hostMapRoutes(appHosts(state, apps, byId, settings.baseDomain), settings.upstreams ?? 'static', settings.appUpstreams));
    routes.push(...redirect, notFound(settings));
  }
  const errors = settings.routeResolver ? unknownHostErrors(settings) : {};

  const servers: Record<string, unknown> = {
    berth: {
      listen: [settings.httpListen],
      automatic_https: { disable: true },
      routes,
      ...errors,
    },
  };
  const logs = settings.accessLog ? { logs: serverAccessLogs(settings.baseDomain) } : {};
  Object.assign(servers.berth as Route, logs);
  const caddyApps: Record<string, unknown> = { http: { servers } };
  if (domains.length > 0) {
    const upstreams = new Map<string, string>();
    for (const [project, deploymentId] of state.current) {
      const app = byId.get(deploymentId);
      if (app) upstreams.set(project, app.upstream);
    }
    servers['berth-https'] = { ...customDomainServer(domains, upstreams, settings), ...errors, ...logs };
    Object.assign(caddyApps, customDomainCertificates(domains.map(([hostname]) => hostname), settings));
    if (isUnixAddress(settings.apiUpstream)) servers['berth-ask'] = askServer(settings);
  }
  const logging = settings.accessLog ? { logging: accessLogging(settings.accessLog) } : {};
  return { admin: { listen: settings.adminListen }, ...logging, apps: caddyApps };
}

/** Every host Caddy routes to an app (base-domain names and custom domains) → that app: whose requests a host's access log lines are. */
export function routedHosts(state: RoutingState, baseDomain: string): Map<string, RunningApp> {
  const apps = [...state.apps].sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
  const byId = new Map(apps.map((a) => [a.deploymentId, a]));
  const hosts = appHosts(state, apps, byId, baseDomain);
  for (const [hostname, project] of state.domains ?? []) {
    const app = byId.get(state.current.get(project) ?? '');
    if (app) hosts.set(hostname.toLowerCase(), app);
  }
  return hosts;
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
/** In dns mode the upstream placeholder holds the service name and this one its port. */
const portPlaceholder = '{berth.port}';

/**
 * App hosts as one lookup instead of one route per host: a `map` handler from
 * the request's host to its upstream, then one reverse proxy that dials the
 * looked-up address. Caddy provisions a map entry far cheaper than a route
 * with its own proxy, so a change at 10,000 apps loads in a fraction of the
 * time (BENCHMARKS.md, bench:router). Hosts are matched exactly, as written
 * here (lowercase); a request whose Host is spelled in capitals gets the 404
 * page (browsers always send it lowercase).
 */
function hostMapRoutes(hosts: ReadonlyMap<string, RunningApp>, mode: UpstreamMode, timeouts: UpstreamTimeouts): Route[] {
  if (hosts.size === 0) return [];
  const sorted = [...hosts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Swarm (dns) looks up a name and port separately: the map sets both.
  const split = mode === 'dns';
  const mappings = sorted.map(([input, app]) => {
    const { host, port } = splitHostPort(app.upstream);
    return { input, outputs: split ? [host, port] : [app.upstream] };
  });
  const destinations = split ? [upstreamPlaceholder, portPlaceholder] : [upstreamPlaceholder];
  const target = split ? { host: upstreamPlaceholder, port: portPlaceholder } : { dial: upstreamPlaceholder };
  return [
    {
      handle: [
        { handler: 'map', source: '{http.request.host}', destinations, mappings, defaults: destinations.map(() => '') },
      ],
    },
    {
      match: [{ not: [{ vars: { [upstreamPlaceholder]: [''] } }] }],
      handle: [proxyHandler(target, mode, timeouts)],
      terminal: true,
    },
  ];
}

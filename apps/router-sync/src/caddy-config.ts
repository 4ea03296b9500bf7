/**
 * The whole Caddy configuration as a pure function of routing state: the
 * running Berth containers and which deployment each project points at.
 * Deterministic output (sorted), so "did anything change" is a string compare.
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
}

export interface CaddySettings {
  adminListen: string;
  httpListen: string;
  baseDomain: string;
  apiUpstream: string;
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
  for (const app of apps) {
    routes.push(proxyRoute([`${app.deploymentId}.${settings.baseDomain}`], app.upstream));
  }
  for (const [project, deploymentId] of [...state.current].sort(([a], [b]) => a.localeCompare(b))) {
    const app = byId.get(deploymentId);
    if (app && !byId.has(project)) routes.push(proxyRoute([`${project}.${settings.baseDomain}`], app.upstream));
  }
  routes.push({
    handle: [
      {
        handler: 'static_response',
        status_code: 404,
        headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
        body: 'Berth: no deployment answers at this address.\n',
      },
    ],
  });

  return {
    admin: { listen: settings.adminListen },
    apps: {
      http: {
        servers: {
          berth: {
            listen: [settings.httpListen],
            automatic_https: { disable: true },
            routes,
          },
        },
      },
    },
  };
}

import { commonEnv, env, parseConfig, runtimeEnv, setting, z } from '@berth/shared/config';

/** router-sync's settings; each one's `.describe()` is its line in docs/settings.md (`npm run docs:tables`). */
export const routerSyncEnv = z.object({
  ...commonEnv,
  BASE_DOMAIN: env.baseDomain,
  /** docker: discover plain containers on this host; swarm: services through the manager's API. */
  BERTH_RUNTIME: runtimeEnv.BERTH_RUNTIME,
  BERTH_NETWORK: env.network,
  CADDY_ADMIN_URL: env.caddyAdminUrl,
  CADDY_ADMIN_LISTEN: setting(z.string().optional(), 'The admin listener written into every loaded config', "CADDY_ADMIN_URL's host:port (or socket)"),
  CADDY_HTTP_LISTEN: z.string().regex(/^[^\s]*:\d+$/, 'expected [host]:port').default(':8080').describe('Where Caddy serves HTTP, e.g. ":8080" or ":80"'),
  CADDY_HTTPS_LISTEN: z
    .string()
    .regex(/^[^\s]*:\d+$/, 'expected [host]:port')
    .default(':8443')
    .describe('Where Caddy serves custom domains over HTTPS, e.g. ":8443" or ":443"; opened only while some project has a domain (custom domains on HTTP redirect there)'),
  TLS_ISSUER: z
    .enum(['internal', 'acme'])
    .default('internal')
    .describe("Who signs custom domains' certificates: Caddy's local CA (internal), or an ACME CA (Let's Encrypt) as ACME_EMAIL"),
  ACME_EMAIL: z.string().email('expected an email address').optional().describe('The ACME account email (required when TLS_ISSUER=acme)'),
  API_UPSTREAM: z
    .string()
    .regex(/^(unix\/\/[^\s\0]*[^/\s]|[^\s/]+:\d+)$/, 'expected host:port or unix//<absolute path>')
    .default('127.0.0.1:3000')
    .describe("Where Caddy reaches the API (http://<BASE_DOMAIN>/api/): host:port, or `unix//<absolute path>` (Caddy's spelling) for the API's API_SOCKET_PATH"),
  CADDY_ASK_LISTEN: z
    .string()
    .regex(/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+$/, 'expected a loopback host:port')
    .default('127.0.0.1:2021')
    .describe(
      "With the API on a unix socket: the loopback listener of Caddy's own that on-demand TLS `ask` (a URL, never a socket) goes through; it passes on only that path",
    ),
  CADDY_CONTAINER: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'expected a container name')
    .optional()
    .describe(
      "Swarm mode only, and required there: Caddy's container, which router-sync connects to the networks of the apps it routes to (and disconnects from the others); `npm run up -- --swarm` sets it",
    ),
  RESYNC_INTERVAL_MS: env.milliseconds(5000).describe("How often a full resync against Caddy's live config runs"),
  NETWORK_DRAIN_MS: env
    .milliseconds(30_000)
    .describe("Swarm mode: how long Caddy stays on an app's network after its last route there went (requests in flight finish)"),
  APP_DIAL_TIMEOUT_MS: env.milliseconds(1000).describe("How long Caddy waits to connect to an app (a task or container); then the request fails, or in swarm mode goes to another task"),
  APP_RESPONSE_HEADER_TIMEOUT_MS: env
    .milliseconds(60_000)
    .describe("How long Caddy waits for an app's response headers once the request is sent (a node that died mid-request ends it then: 504); streamed bodies are not bounded"),
  APP_FAIL_DURATION_MS: env
    .milliseconds(5000)
    .describe('Swarm mode: how long a task address that failed a request (dial error, timeout) gets no new ones (Caddy\'s passive health)'),
  ACCESS_LOG_LISTEN: setting(
    z
      .string()
      .regex(/^(off|unix\/\/[^\s\0]*[^/\s]|(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+)$/, 'expected off, a loopback host:port or unix//<absolute path>')
      .optional(),
    "Where router-sync receives Caddy's access log for request metrics (GET /api/projects/:name/request-metrics): a loopback host:port (port 0: any free one; Caddy on this host; whoever can write to it can forge counts, so never another interface), `unix//<absolute path>` (Caddy in a container: a directory both mount), or off",
    "access.sock next to CADDY_ADMIN_URL's socket (compose, swarm), else 127.0.0.1:0",
  ),
  ROUTE_RESOLVER_LISTEN: setting(
    z
      .string()
      .regex(/^(off|(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+)$/, 'expected off or a loopback host:port')
      .optional(),
    "Docker mode: where router-sync answers Caddy's lookups of app hosts (DNS over UDP; port 0: any free one). A release, a new or a removed app then changes these answers, not Caddy's config, so no config load closes client connections. Loopback only: Caddy must run on this host (compose: both on the host network). off: app hosts are a map in Caddy's config, loaded at every change (swarm mode's way)",
    'docker: 127.0.0.1:0; swarm: off',
  ),
  REQUEST_METRICS_INTERVAL_MS: env.milliseconds(10_000).describe('How often router-sync writes the requests it counted per deployment (one row per deployment that got any)'),
  DEBOUNCE_MS: env.milliseconds(15).describe('Changes (Docker and Redis events) within this long are applied in one Caddy load'),
})
  .refine((c) => c.TLS_ISSUER !== 'acme' || c.ACME_EMAIL !== undefined, {
    path: ['ACME_EMAIL'],
    message: 'required when TLS_ISSUER=acme',
  })
  .refine((c) => c.BERTH_RUNTIME !== 'swarm' || c.CADDY_CONTAINER !== undefined, {
    path: ['CADDY_CONTAINER'],
    message: "required when BERTH_RUNTIME=swarm (Caddy's container, connected to each app's network)",
  })
  .refine((c) => c.BERTH_RUNTIME === 'swarm' || c.CADDY_CONTAINER === undefined, {
    path: ['CADDY_CONTAINER'],
    message: 'only for BERTH_RUNTIME=swarm (in docker mode Caddy reaches the apps on the shared app network)',
  });

export type RouterSyncConfig = Readonly<z.infer<typeof routerSyncEnv>> & {
  network: string;
  adminListen: string;
  accessLogListen: string;
  /** Where the route resolver listens, or off (swarm mode's default: its Caddy is a container, off this host's loopback). */
  routeResolverListen: string;
};

export function loadRouterSyncConfig(source: Record<string, string | undefined>): RouterSyncConfig {
  const c = parseConfig(routerSyncEnv, source);
  return Object.freeze({
    ...c,
    network: c.BERTH_NETWORK ?? `berth-${c.BERTH_INSTANCE}`,
    adminListen: c.CADDY_ADMIN_LISTEN ?? adminListenFor(new URL(c.CADDY_ADMIN_URL)),
    accessLogListen: c.ACCESS_LOG_LISTEN ?? accessLogListenFor(new URL(c.CADDY_ADMIN_URL)),
    routeResolverListen: c.ROUTE_RESOLVER_LISTEN ?? (c.BERTH_RUNTIME === 'swarm' ? 'off' : '127.0.0.1:0'),
  });
}

/**
 * Where Caddy's access log comes by default: a Caddy reached on a unix socket
 * is in a container of its own (compose, swarm) and shares that socket's
 * directory with router-sync, so the log comes through a socket there; a
 * Caddy on TCP runs on this host and dials loopback.
 */
function accessLogListenFor(adminUrl: URL): string {
  if (adminUrl.protocol !== 'unix:') return '127.0.0.1:0';
  const socket = decodeURIComponent(adminUrl.pathname);
  return `unix/${socket.slice(0, socket.lastIndexOf('/'))}/access.sock`;
}

/** Caddy's own spelling of the admin address the URL names: `host:port` or `unix//path`. */
function adminListenFor(url: URL): string {
  return url.protocol === 'unix:' ? `unix/${decodeURIComponent(url.pathname)}` : url.host;
}

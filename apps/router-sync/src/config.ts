import { commonEnv, env, parseConfig, z } from '@berth/shared/config';

const schema = z.object({
  ...commonEnv,
  BASE_DOMAIN: env.baseDomain,
  /** docker: discover plain containers on this host; swarm: services through the manager's API. */
  BERTH_RUNTIME: env.runtime,
  BERTH_NETWORK: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/).optional(),
  /** http://host:port, or unix:///path/admin.sock for an admin API on a unix socket. */
  CADDY_ADMIN_URL: z
    .string()
    .url()
    .refine((u) => /^(http|unix):$/.test(new URL(u).protocol), 'expected an http:// or unix:// URL')
    .default('http://127.0.0.1:2019'),
  /** The admin listener written into every loaded config (defaults to the URL's host:port). */
  CADDY_ADMIN_LISTEN: z.string().optional(),
  /** Where Caddy serves HTTP, e.g. ":8080" or ":80". */
  CADDY_HTTP_LISTEN: z.string().regex(/^[^\s]*:\d+$/, 'expected [host]:port').default(':8080'),
  /**
   * Where Caddy serves custom domains over HTTPS, e.g. ":8443" or ":443"; opened only
   * while some project has a domain. Custom domains on HTTP redirect to this port.
   */
  CADDY_HTTPS_LISTEN: z.string().regex(/^[^\s]*:\d+$/, 'expected [host]:port').default(':8443'),
  /** Who signs custom domains' certificates: Caddy's local CA, or an ACME CA (Let's Encrypt) as ACME_EMAIL. */
  TLS_ISSUER: z.enum(['internal', 'acme']).default('internal'),
  ACME_EMAIL: z.string().email('expected an email address').optional(),
  /**
   * Where Caddy reaches the API (http://<BASE_DOMAIN>/api/): host:port, or `unix//<absolute path>`
   * (Caddy's spelling) for the API's unix socket (API_SOCKET_PATH), as a Caddy container reaches it.
   */
  API_UPSTREAM: z
    .string()
    .regex(/^(unix\/\/[^\s\0]*[^/\s]|[^\s/]+:\d+)$/, 'expected host:port or unix//<absolute path>')
    .default('127.0.0.1:3000'),
  /**
   * With the API on a unix socket, Caddy's on-demand TLS `ask` (a URL, never a socket) goes through a
   * listener of Caddy's own here, which passes on only that path: keep it on loopback (inside Caddy's container).
   */
  CADDY_ASK_LISTEN: z.string().regex(/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+$/, 'expected a loopback host:port').default('127.0.0.1:2021'),
  /**
   * Swarm mode: the name (or id) of Caddy's container. Each app runs on a network of its own; router-sync
   * connects this container to the networks of the apps it routes to and disconnects it from the others.
   */
  CADDY_CONTAINER: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'expected a container name').optional(),
  RESYNC_INTERVAL_MS: env.milliseconds(5000),
  /** Swarm mode: how long Caddy stays on an app's network after its last route there went (requests in flight finish). */
  NETWORK_DRAIN_MS: env.milliseconds(30_000),
  DEBOUNCE_MS: env.milliseconds(15),
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

export type RouterSyncConfig = Readonly<z.infer<typeof schema>> & { network: string; adminListen: string };

export function loadRouterSyncConfig(source: Record<string, string | undefined>): RouterSyncConfig {
  const c = parseConfig(schema, source);
  return Object.freeze({
    ...c,
    network: c.BERTH_NETWORK ?? `berth-${c.BERTH_INSTANCE}`,
    adminListen: c.CADDY_ADMIN_LISTEN ?? adminListenFor(new URL(c.CADDY_ADMIN_URL)),
  });
}

/** Caddy's own spelling of the admin address the URL names: `host:port` or `unix//path`. */
function adminListenFor(url: URL): string {
  return url.protocol === 'unix:' ? `unix/${decodeURIComponent(url.pathname)}` : url.host;
}

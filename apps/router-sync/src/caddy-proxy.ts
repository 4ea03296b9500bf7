/**
 * The reverse proxy handler in front of an app, in the two ways the runtimes
 * need. Docker mode dials the one address it was given (a container's IP).
 * Swarm mode looks the service name up (an A lookup: with dnsrr it resolves to
 * every running task on the overlay) and spreads requests round robin; a
 * replica that dies is skipped while the others answer (dial errors and, for
 * GET/HEAD, errors after sending are tried on the next replica for up to
 * `try_duration`), and the lookup refreshes every second, so its replacement
 * gets traffic soon after it starts. The service VIP is never used: it needs
 * IPVS, which not every host has.
 *
 * App upstreams (`timeouts` given; the API's are not: its event streams and
 * uploads are its own business) get a dial timeout and a response-header
 * timeout: a request to a task whose node died fails after those instead of
 * waiting on TCP. In swarm mode a failed request (a dial error, a timeout)
 * also marks that task's address unhealthy for `fail_duration` (passive
 * health, one failure is enough): no new request goes there meanwhile. Docker
 * mode has one upstream per app, nothing to fail over to: no passive health.
 */
export type UpstreamMode = 'static' | 'dns';

/** What bounds a request to an app (router-sync's APP_* settings). */
export interface UpstreamTimeouts {
  dialTimeoutMs: number;
  responseHeaderTimeoutMs: number;
  /** Swarm: how long a task's address that failed a request gets none. */
  failDurationMs: number;
}

/** Where a request goes: `host:port` (static), or a service name and port to look up (dns). */
export function proxyHandler(
  upstream: { host: string; port: string } | { dial: string },
  mode: UpstreamMode,
  timeouts?: UpstreamTimeouts,
): Record<string, unknown> {
  const { host, port, dial } = 'dial' in upstream ? { ...splitHostPort(upstream.dial), dial: upstream.dial } : { ...upstream, dial: `${upstream.host}:${upstream.port}` };
  const transport = timeouts && { transport: appTransport(timeouts) };
  switch (mode) {
    case 'static':
      return { handler: 'reverse_proxy', upstreams: [{ dial }], ...transport };
    case 'dns':
      return {
        handler: 'reverse_proxy',
        dynamic_upstreams: { source: 'a', name: host, port, refresh: '1s' },
        load_balancing: {
          selection_policy: { policy: 'round_robin' },
          try_duration: '5s',
          try_interval: '100ms',
          retry_match: [{ method: ['GET', 'HEAD'] }],
        },
        health_checks: { passive: { fail_duration: duration(timeouts?.failDurationMs ?? 5000), max_fails: 1 } },
        // A killed task's address stops answering rather than refusing: give up on it quickly.
        ...(transport ?? { transport: { protocol: 'http', dial_timeout: '1s' } }),
      };
    default: {
      const unknown: never = mode;
      throw new Error(`unknown upstream mode ${String(unknown)}`);
    }
  }
}

/** The HTTP transport of an app proxy: its dial and response-header timeouts. */
export function appTransport(timeouts: UpstreamTimeouts): Record<string, unknown> {
  return { protocol: 'http', dial_timeout: duration(timeouts.dialTimeoutMs), response_header_timeout: duration(timeouts.responseHeaderTimeoutMs) };
}

/** Milliseconds as Caddy's duration string: whole seconds as `5s`, the rest as `250ms`. */
function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** `name:port` → its parts (the port after the last colon). */
export function splitHostPort(hostPort: string): { host: string; port: string } {
  const at = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, at), port: hostPort.slice(at + 1) };
}

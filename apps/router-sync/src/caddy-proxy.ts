/**
 * The reverse proxy handler in front of an app, in the two ways the runtimes
 * need. Docker mode dials the one address it was given (a container's IP).
 * Swarm mode looks the service name up (an A lookup: with dnsrr it resolves to
 * every running task on the overlay) and spreads requests round robin; a
 * replica that dies is skipped while the others answer (dial errors and, for
 * GET/HEAD, errors after sending are tried on the next replica for up to
 * `try_duration`; a failed replica is avoided for `fail_duration`), and the
 * lookup refreshes every second, so its replacement gets traffic soon after
 * it starts. The service VIP is never used: it needs IPVS, which not every
 * host has.
 */
export type UpstreamMode = 'static' | 'dns';

/** Where a request goes: `host:port` (static), or a service name and port to look up (dns). */
export function proxyHandler(upstream: { host: string; port: string } | { dial: string }, mode: UpstreamMode): Record<string, unknown> {
  const { host, port, dial } = 'dial' in upstream ? { ...splitHostPort(upstream.dial), dial: upstream.dial } : { ...upstream, dial: `${upstream.host}:${upstream.port}` };
  switch (mode) {
    case 'static':
      return { handler: 'reverse_proxy', upstreams: [{ dial }] };
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
        health_checks: { passive: { fail_duration: '5s', max_fails: 1 } },
        // A killed task's address stops answering rather than refusing: give up on it quickly.
        transport: { protocol: 'http', dial_timeout: '1s' },
      };
    default: {
      const unknown: never = mode;
      throw new Error(`unknown upstream mode ${String(unknown)}`);
    }
  }
}

/** `name:port` → its parts (the port after the last colon). */
export function splitHostPort(hostPort: string): { host: string; port: string } {
  const at = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, at), port: hostPort.slice(at + 1) };
}
